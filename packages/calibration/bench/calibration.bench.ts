// Wall time of a full-chip LIF calibration from an empty cache (issue 6: aim below 30 s; hardware.md §9.4:
// ≈ 5 minutes on hardware, where every CapMem change costs 20 ms of real time).
import { connectInProcess } from '@bss2/hxcomm/in-process';
import type { Benchmark, BenchRecord } from '@bss2/bench';
import { calibrateLIF, spikingTarget, standardDeviation } from '../src/index.js';
import { ChipSession } from '../src/measurement/chip-session.js';

const SEED = 1;

export const benchmarks: Benchmark[] = [
  {
    name: 'calibration.lif.full-chip',
    async run(): Promise<BenchRecord[]> {
      const connection = connectInProcess({ seed: SEED });
      const programs = { count: 0 };
      const original = ChipSession.prototype.run;
      ChipSession.prototype.run = async function (builder) {
        programs.count++;
        return original.call(this, builder);
      };
      const start = performance.now();
      const result = await calibrateLIF(connection, spikingTarget);
      const seconds = (performance.now() - start) / 1000;
      ChipSession.prototype.run = original;
      const spreads = Object.fromEntries(result.parameters.map((p) => [p.parameter, { before: standardDeviation(p.before), after: standardDeviation(p.achieved) }]));
      return [
        {
          name: 'calibration.lif.full-chip',
          value: seconds,
          unit: 's',
          inputs: { chipSeed: SEED, target: 'spiking', neurons: 512, cache: 'none' },
          programs: programs.count,
          spreads,
        },
      ];
    },
  },
];
