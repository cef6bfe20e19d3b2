// The chip-filling network of the routing and PyNN benchmarks (issue 7): 512 single-circuit neurons, each
// receiving the same number of random recurrent inputs (the fan-in), 80 % of the neurons excitatory and 20 %
// inhibitory, weights uniform in 1..63. Shared so both benchmarks measure the identical network.
import { type Connection, type Network, RoutingError, routeNetwork } from '@bss2/routing';
import { seededUniform } from './random.js';

export const CHIP_FILLING_NEURONS = 512;
export const CHIP_FILLING_EXCITATORY = Math.round(0.8 * CHIP_FILLING_NEURONS);
export const CHIP_FILLING_SEED = 2026;

/** The network with fan-in `k`: each neuron draws k distinct presynaptic neurons (self included) uniformly. */
export function chipFillingNetwork(k: number, seed = CHIP_FILLING_SEED): Network {
  const next = seededUniform(seed);
  const excitatory: Connection[] = [];
  const inhibitory: Connection[] = [];
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

function routes(k: number): boolean {
  try {
    routeNetwork(chipFillingNetwork(k));
    return true;
  } catch (error) {
    if (error instanceof RoutingError) return false;
    throw error;
  }
}

/** The largest fan-in in 1..256 that routes, by bisection (routability is monotone in practice, not in principle). */
export function largestFanIn(): number {
  let low = 0;
  let high = 256;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (routes(mid)) low = mid;
    else high = mid;
  }
  return low;
}
