// Routing time of a chip-filling network (issue 7): 512 single-circuit neurons, every neuron receiving the same
// number of random recurrent inputs (the fan-in), 80 % of the neurons excitatory and 20 % inhibitory. The
// largest fan-in that routes is searched first (bisection; routing either succeeds or throws a RoutingError),
// then routing at that fan-in is timed.
import { bestOf, seededUniform, type BenchRecord, type Benchmark } from '../../../tools/bench/benchmark.js';
import { RoutingError, routeNetwork, type Connection, type Network } from '../src/index.js';

const NEURONS = 512;
const EXCITATORY = Math.round(0.8 * NEURONS);
const SEED = 2026;
const REPEATS = 5;

/** The network with fan-in `k`: each neuron draws k distinct presynaptic neurons (self included) uniformly. */
export function chipFillingNetwork(k: number, seed = SEED): Network {
  const next = seededUniform(seed);
  const excitatory: Connection[] = [];
  const inhibitory: Connection[] = [];
  const order = Array.from({ length: NEURONS }, (_, i) => i);
  for (let post = 0; post < NEURONS; post++) {
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(next() * (NEURONS - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      const pre = order[i]!;
      const weight = 1 + Math.floor(next() * 63);
      (pre < EXCITATORY ? excitatory : inhibitory).push({ pre, post, weight });
    }
  }
  return {
    populations: [{ kind: 'neurons', name: 'network', size: NEURONS }],
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

export const benchmarks: Benchmark[] = [
  {
    name: 'routing.chip-filling',
    run(): BenchRecord[] {
      const fanIn = largestFanIn();
      const network = chipFillingNetwork(fanIn);
      const seconds = bestOf(REPEATS, () => routeNetwork(network));
      const result = routeNetwork(network);
      const failure = (() => {
        try {
          routeNetwork(chipFillingNetwork(fanIn + 1));
          return 'none';
        } catch (error) {
          return error instanceof RoutingError ? `${error.name}: ${error.message.slice(0, 160)}` : String(error);
        }
      })();
      const s = result.statistics;
      const inputs = {
        neurons: NEURONS,
        excitatory_fraction: EXCITATORY / NEURONS,
        fan_in: fanIn,
        connections: s.connections,
        seed: SEED,
        synapse_rows: s.synapseRows,
        synapse_drivers: s.synapseDrivers,
        synapse_utilisation: Math.round(s.synapseUtilisation * 1000) / 1000,
        router: s.router,
        next_fan_in_fails_with: failure,
      };
      return [
        { name: 'routing.chip-filling', value: Math.round(seconds * 1e5) / 100, unit: 'ms', inputs },
        { name: 'routing.chip-filling.fan-in', value: fanIn, unit: 'inputs per neuron', inputs: { neurons: NEURONS, seed: SEED } },
      ];
    },
  },
];
