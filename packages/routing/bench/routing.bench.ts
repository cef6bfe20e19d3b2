// Routing time of the chip-filling network (@bss2/bench/chip-filling, tools/bench/src/chip-filling.ts, issue 7).
// The largest fan-in that routes is searched first (bisection; routing either succeeds or throws a RoutingError),
// then routing at that fan-in is timed.
import { bestOf, type BenchRecord, type Benchmark } from '@bss2/bench';
import { CHIP_FILLING_EXCITATORY as EXCITATORY, CHIP_FILLING_NEURONS as NEURONS, CHIP_FILLING_SEED as SEED, chipFillingNetwork, largestFanIn } from '@bss2/bench/chip-filling';
import { RoutingError, routeNetwork } from '../src/index.js';

const REPEATS = 5;

export const benchmarks: Benchmark[] = [
  {
    name: 'routing.chip-filling',
    run(): BenchRecord[] {
      const fanIn = largestFanIn(routeNetwork, RoutingError);
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
