// The chip-filling network of the routing and PyNN benchmarks (issue 7): 512 single-circuit neurons, each
// receiving the same number of random recurrent inputs (the fan-in), 80 % of the neurons excitatory and 20 %
// inhibitory, weights uniform in 1..63. Shared so both benchmarks measure the identical network. It does not
// import @bss2/routing (routing's own bench imports this package): the network is declared in the shape of a
// routing `Network`, and the bench that searches the fan-in passes the router in.
import { seededUniform } from './random.js';

export const CHIP_FILLING_NEURONS = 512;
export const CHIP_FILLING_EXCITATORY = Math.round(0.8 * CHIP_FILLING_NEURONS);
export const CHIP_FILLING_SEED = 2026;

export interface ChipFillingConnection {
  readonly pre: number;
  readonly post: number;
  readonly weight: number;
}

/** A routing `Network` (structurally): one neuron population projecting onto itself on both receptors. */
export interface ChipFillingNetwork {
  readonly populations: readonly { readonly kind: 'neurons'; readonly name: string; readonly size: number }[];
  readonly projections: readonly {
    readonly name: string;
    readonly pre: string;
    readonly post: string;
    readonly receptor: 'excitatory' | 'inhibitory';
    readonly connections: readonly ChipFillingConnection[];
  }[];
  readonly recorded: readonly string[];
}

/** The network with fan-in `k`: each neuron draws k distinct presynaptic neurons (self included) uniformly. */
export function chipFillingNetwork(k: number, seed = CHIP_FILLING_SEED): ChipFillingNetwork {
  const next = seededUniform(seed);
  const excitatory: ChipFillingConnection[] = [];
  const inhibitory: ChipFillingConnection[] = [];
  const order = Array.from({ length: CHIP_FILLING_NEURONS }, (_, i) => i);
  for (let post = 0; post < CHIP_FILLING_NEURONS; post++) {
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(next() * (CHIP_FILLING_NEURONS - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      const pre = order[i]!;
      const weight = 1 + Math.floor(next() * 63);
      (pre < CHIP_FILLING_EXCITATORY ? excitatory : inhibitory).push({ pre, post, weight });
    }
  }
  return {
    populations: [{ kind: 'neurons', name: 'network', size: CHIP_FILLING_NEURONS }],
    projections: [
      { name: 'excitatory', pre: 'network', post: 'network', receptor: 'excitatory', connections: excitatory },
      { name: 'inhibitory', pre: 'network', post: 'network', receptor: 'inhibitory', connections: inhibitory },
    ],
    recorded: ['network'],
  };
}

/**
 * The largest fan-in in 1..256 that routes, by bisection (routability is monotone in practice, not in principle).
 * `route` routes a network or throws; an error of class `failure` (routing's `RoutingError`) means the network does
 * not fit, any other error propagates: `largestFanIn(routeNetwork, RoutingError)`.
 */
export function largestFanIn(route: (network: ChipFillingNetwork) => unknown, failure: abstract new (...args: never[]) => Error): number {
  const routes = (k: number): boolean => {
    try {
      route(chipFillingNetwork(k));
      return true;
    } catch (error) {
      if (error instanceof failure) return false;
      throw error;
    }
  };
  let low = 0;
  let high = 256;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (routes(mid)) low = mid;
    else high = mid;
  }
  return low;
}
