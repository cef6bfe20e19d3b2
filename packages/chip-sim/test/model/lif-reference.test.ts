// Acceptance (issue 5): on the ideal chip a single LIF neuron, configured by ordinary register writes and driven
// by SpikePack events, reproduces the exact spike times of test-fixtures/references/lif_reference.json (PyNN
// IF_curr_exp; 1 ms bio = 1 µs hw) within one analog step, at 10 ns and at 100 ns; its spikes are recorded
// through the crossbar to the FPGA.
import { readFileSync } from 'node:fs';
import { AtomicNeuronOnDLS } from '@bss2/halco';
import { AtomicNeuron, SynapseDriverConfig } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { SimulatedChip } from '../../src/index.js';
import {
  CYCLES_PER_US,
  Program,
  SETTLE_CYCLES,
  driver,
  dropFpgaLoopback,
  openEventPath,
  synapseDacBias,
  writeNeuron,
  writeSynapse,
} from './program.js';

interface Reference {
  cell: { v_rest: number; v_reset: number; v_thresh: number };
  spike_input: { exc_spike_times_ms: number[]; inh_spike_times_ms: number[]; delay_ms: number };
  constant_current: { i_offset_nA: number[] };
  t_stop_ms: number;
  exact: { spike_input: { spike_times_ms: number[] }; constant_current: { spike_times_ms: number[][] } };
}
const reference = JSON.parse(readFileSync(new URL('../../../../test-fixtures/references/lif_reference.json', import.meta.url), 'utf8')) as Reference;

/*
 * The exactly representable bio → hardware mapping of test/analog/lif-reference.test.ts: 5 mV bio = 73 LSB,
 * τ_m = 0.7 pF / 70 nS = 10 µs, I_hw = 60 · I_bio (0.25 / 0.5 / 1.0 nA → i_offset 150 / 300 / 600), τ_syn =
 * 300 µs / 60 = 5 µs, PSC 36 nA (g_m 0.36) and 60 nA (0.6) at weight 63 and syn_i_bias_dac 600, reset for
 * 2.000 µs (refractory_time 251, hold-off 15 at clock scale 0).
 */
const voltageLsb = (v_bio: number): number => 300 + (73 * (v_bio + 70)) / 5;
function lifNeuron(iOffset_lsb: number, address: number, currentOn: boolean, threshold = true): AtomicNeuron {
  return new AtomicNeuron({
    leak: { vLeak: voltageLsb(reference.cell.v_rest), iBias: 70 },
    reset: { vReset: voltageLsb(reference.cell.v_reset), iBias: 1022, enableMultiplication: true },
    threshold: { enable: threshold, vThreshold: voltageLsb(reference.cell.v_thresh) },
    membraneCapacitance: { capacitance: 18 },
    excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 180, iShiftReference: 500 },
    inhibitoryInput: { enable: true, iBiasTau: 60, iBiasGm: 300, iShiftReference: 500 },
    constantCurrent: { enable: currentOn, iOffset: iOffset_lsb },
    refractoryPeriod: { refractoryTime: 251, resetHoldoff: 15, enablePause: true },
    eventRouting: { analogOutput: 'normal', enableDigital: true, address },
    bayesian: { toPostPulse: false },
  });
}

/** Spike input on circuit 130 (top row, column 130); the three currents on circuits 5, 300 and 511. */
const INPUT_CIRCUIT = 130;
const CURRENT_CIRCUITS = [5, 300, 511];
const CURRENT_LSB = [150, 300, 600];
/**
 * Labels. Inputs: row select 0, address 1 (excitatory) / 2 (inhibitory), taken by top driver 0 (bus 0, index 0),
 * whose top row 1 is excitatory and bottom row 0 inhibitory. The neurons' address_out ≥ 64 gives them row
 * selects no enabled driver listens to, so their spikes only reach the FPGA.
 */
const EXC_LABEL = 1;
const INH_LABEL = 2;
const ADDRESSES = [0x41, 0x45, 0x46, 0x47];
/** The label a spike of `circuit` carries to the FPGA: link `e % 4` (crossbar output 8 + e % 4), then `e << 8 | address`. */
function recordedLabel(circuit: number, address: number): number {
  const output = new AtomicNeuronOnDLS(circuit).toNeuronEventOutputOnDLS().value;
  return ((output % 4) << 14) | (output << 8) | address;
}
/** 1 µs: a multiple of both steps, so a write there is applied exactly at its cycle. */
const GRID = CYCLES_PER_US;

/** Recorded spike times of the four cases, in ns after each case's t = 0 (exact stimulus onset). */
export function simulate(step_ns: number): number[][] {
  const chip = new SimulatedChip({ seed: 5, analog: { analogStep_ns: step_ns, idealChip: true, voltageTransfer: 'datasheet' } });
  const p = new Program(chip);
  openEventPath(p);
  dropFpgaLoopback(p);
  synapseDacBias(p, 600);
  p.write(driver(0, 0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory', rowModeBottom: 'inhibitory' }));
  writeSynapse(p, 0, 1, INPUT_CIRCUIT, 63, EXC_LABEL);
  writeSynapse(p, 0, 0, INPUT_CIRCUIT, 63, INH_LABEL);
  const circuits = [INPUT_CIRCUIT, ...CURRENT_CIRCUITS];
  // The comparators stay off while the CapMem cells settle (hardware.md §3.8: thresholds start at 0 V) and the
  // membranes relax to v_rest; then they switch on, still before t = 0.
  const idle = circuits.map((c, k) => lifNeuron(k === 0 ? 0 : CURRENT_LSB[k - 1]!, ADDRESSES[k]!, false));
  circuits.forEach((c, k) => writeNeuron(p, c, lifNeuron(k === 0 ? 0 : CURRENT_LSB[k - 1]!, ADDRESSES[k]!, false, false)));
  p.at(SETTLE_CYCLES);
  circuits.forEach((c, k) => writeNeuron(p, c, idle[k]!));
  const t0 = [p.aligned(SETTLE_CYCLES + GRID, GRID)];
  // Each constant current switches on with one NeuronConfig word at its own t = 0, 1 µs apart.
  CURRENT_CIRCUITS.forEach((c, i) => {
    const start = t0[0]! + (i + 1) * GRID;
    t0.push(start);
    const on = lifNeuron(CURRENT_LSB[i]!, ADDRESSES[i + 1]!, true);
    // The omnibus Data instruction (one cycle after the Address) is the write.
    p.at(start - 1).write(new AtomicNeuronOnDLS(c).toNeuronConfigOnDLS(), on.toNeuronConfig(), idle[i + 1]!.toNeuronConfig());
  });
  // The spike input of the reference (times + delay), SpikePack per distinct time.
  const { exc_spike_times_ms, inh_spike_times_ms, delay_ms } = reference.spike_input;
  const events = new Map<number, number[]>();
  for (const [times, label] of [[exc_spike_times_ms, EXC_LABEL], [inh_spike_times_ms, INH_LABEL]] as const) {
    for (const t of times) {
      const at = t0[0]! + Math.round((t + delay_ms) * CYCLES_PER_US);
      events.set(at, [...(events.get(at) ?? []), label]);
    }
  }
  for (const [at, labels] of [...events].sort((a, b) => a[0] - b[0])) p.at(at).spikes(...labels);
  const stop = Math.round(reference.t_stop_ms * CYCLES_PER_US);
  p.at(t0[3]! + stop + GRID);
  const result = p.run(chip);
  return circuits.map((c, k) =>
    result.spikes
      .filter((s) => s.label === recordedLabel(c, ADDRESSES[k]!) && s.chipTime >= p.timerOrigin + t0[k]! && s.chipTime < p.timerOrigin + t0[k]! + stop)
      .map((s) => s.time_ns - 8 * (p.timerOrigin + t0[k]!)),
  );
}

/** Recorded times carry the 250 MHz tick of the event timestamp: a spike at t is reported at ⌊t / 4 ns⌋ · 4 ns. */
function errors_ns(recorded_ns: number[], exact_ms: number[]): number[] {
  expect(recorded_ns).toHaveLength(exact_ms.length);
  return recorded_ns.map((t, i) => exact_ms[i]! * 1000 - t);
}

describe('LIF through registers, SpikePack input and crossbar recording, on the ideal chip', () => {
  for (const step_ns of [10, 100]) {
    let cached: number[][] | undefined;
    const results = (): number[][] => (cached ??= simulate(step_ns));
    const cases = [
      ['spike input', reference.exact.spike_input.spike_times_ms] as const,
      ...reference.constant_current.i_offset_nA.map((current, i) => [`constant current ${current} nA`, reference.exact.constant_current.spike_times_ms[i]!] as const),
    ];
    cases.forEach(([name, exact], k) => {
      it(`${name}, step ${step_ns} ns: every spike within one step (in the 4 ns timestamp tick of its exact time)`, () => {
        const errors = errors_ns(results()[k]!, exact);
        console.log(`${name}, step ${step_ns} ns: ${exact.length} spikes, exact − recorded in [${Math.min(...errors).toFixed(4)}, ${Math.max(...errors).toFixed(4)}] ns hw`);
        for (const e of errors) {
          expect(e).toBeGreaterThanOrEqual(-0.01);
          expect(e).toBeLessThan(4 + 0.01);
          expect(e).toBeLessThan(step_ns);
        }
      });
    });
  }
});
