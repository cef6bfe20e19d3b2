// The analog neuron engine alone: 512 LIF circuits of a seeded chip with Poisson input, wall time per simulated
// hardware millisecond at the two analog steps the acceptance tests use (style.md, "Tests and benchmarks").
import { AtomicNeuron } from '@bss2/lola';
import { bestOf, type BenchRecord, type Benchmark } from '@bss2/bench';
import { ChipVariation, NeuronArray, NeuronParameters, Random, Receptor } from '../src/analog/index.js';

const CIRCUITS = 512;
const SIMULATED_NS = 1_000_000; // 1 ms of hardware time per repetition
const CHUNK_NS = 1000; // events are injected one hardware µs ahead, as the event model would
const EXC_RATE_KHZ = 100;
const INH_RATE_KHZ = 50;
const REPEATS = 3;
const SEED = 1;

/** A calibrated-looking LIF circuit: τ_m ≈ 10 µs, τ_syn 5 µs, threshold ~90 mV above rest, τ_ref 2 µs. */
const lif = new AtomicNeuron({
  leak: { vLeak: 400, iBias: 200 },
  reset: { vReset: 380, iBias: 1022, enableMultiplication: true },
  threshold: { enable: true, vThreshold: 480 },
  membraneCapacitance: { capacitance: 63 },
  excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 500, iShiftReference: 500 },
  inhibitoryInput: { enable: true, iBiasTau: 60, iBiasGm: 500, iShiftReference: 500 },
  refractoryPeriod: { refractoryTime: 251, resetHoldoff: 15, enablePause: true },
  eventRouting: { analogOutput: 'normal', enableDigital: true },
});

/** Poisson input of every circuit, sorted by time: (circuit, receptor, amount, time) in typed arrays. */
function poissonInput(): { circuit: Int32Array; receptor: Uint8Array; amount: Float64Array; time: Float64Array } {
  const rng = new Random(SEED);
  const events: [number, number, number, number][] = [];
  for (let c = 0; c < CIRCUITS; c++) {
    for (const [receptor, rate_khz] of [[Receptor.excitatory, EXC_RATE_KHZ], [Receptor.inhibitory, INH_RATE_KHZ]] as const) {
      const meanInterval_ns = 1e6 / rate_khz;
      for (let t = -Math.log(rng.uniformPositive()) * meanInterval_ns; t < SIMULATED_NS; t += -Math.log(rng.uniformPositive()) * meanInterval_ns) {
        events.push([c, receptor, 0.05 + 0.25 * rng.uniform(), t]);
      }
    }
  }
  events.sort((a, b) => a[3] - b[3]);
  return {
    circuit: Int32Array.from(events, (e) => e[0]),
    receptor: Uint8Array.from(events, (e) => e[1]),
    amount: Float64Array.from(events, (e) => e[2]),
    time: Float64Array.from(events, (e) => e[3]),
  };
}

function advanceBench(step_ns: number): Benchmark {
  const name = 'chip-sim.neurons.advance';
  return {
    name,
    run(): BenchRecord[] {
      const params = new NeuronParameters(ChipVariation.fromSeed(SEED), Array(CIRCUITS).fill(lif));
      for (let q = 0; q < 4; q++) params.setSynapseDacBias(q, 600);
      const array = new NeuronArray(params, { step_ns });
      const input = poissonInput();
      let spikes = 0;
      const seconds = bestOf(REPEATS, () => {
        array.resetState();
        let next = 0;
        for (let t = CHUNK_NS; t <= SIMULATED_NS; t += CHUNK_NS) {
          while (next < input.time.length && input.time[next]! < t) {
            array.injectSynapticInput(input.circuit[next]!, input.receptor[next] as Receptor, input.amount[next]!, input.time[next]!);
            next++;
          }
          array.advanceTo(t);
        }
        spikes = array.spikeCount;
      });
      return [
        {
          name,
          value: +(seconds / (SIMULATED_NS / 1e6)).toPrecision(4),
          unit: 's/ms_hw',
          inputs: {
            circuits: CIRCUITS,
            step_ns,
            model: 'LIF CUBA, seeded chip variation',
            inputEvents: input.time.length,
            excRate_khz: EXC_RATE_KHZ,
            inhRate_khz: INH_RATE_KHZ,
            outputSpikes: spikes,
            meanRate_khz: +(spikes / CIRCUITS / (SIMULATED_NS / 1e6)).toFixed(1),
            realtimeFactor: +((SIMULATED_NS / 1e9) / seconds).toPrecision(3),
          },
        },
      ];
    },
  };
}

export const benchmarks: Benchmark[] = [advanceBench(10), advanceBench(100)];
