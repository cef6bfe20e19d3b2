// One LIF neuron on the built-in simulator, register by register (the commissioning view of the README demo),
// configured and recorded through the whole stack — lola containers at halco coordinates, a stadls playback
// program, an hxcomm connection, the cycle-level chip-sim — printing its spike times and membrane trace.
//
// The neuron is PyNN's IF_curr_exp of test-fixtures/references/lif_reference.json ("spike_input"), mapped to
// hardware units exactly (1 ms biological = 1 µs on the chip; 5 mV = 73 CapMem LSB; τ_m = 0.7 pF / 70 nS =
// 10 µs; τ_syn = 300 µs / 60 = 5 µs), on the ideal chip (no fixed-pattern variation), so its spike times must
// equal the exact solution within the analog step.
import { readFileSync } from 'node:fs';
import {
  AtomicNeuronOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputOnDLS,
  EventRecordingConfigOnFPGA,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  ReadoutSourceSelectionOnDLS,
  SpikePack1ToChipOnDLS,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnSynapseDriverBlock,
  SynapseRowOnDLS,
  SynapseRowOnSynram,
  SynramOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import { SimulatedChip } from '@bss2/chip-sim';
import { InProcessConnection } from '@bss2/hxcomm/in-process';
import {
  AtomicNeuron,
  CapMemCell,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CrossbarNode,
  EventRecordingConfig,
  MADCConfig,
  MADCControl,
  ReadoutSourceSelection,
  SpikePack1ToChip,
  SynapseDriverConfig,
  SynapseRow,
  Timer,
  nominal,
} from '@bss2/lola';
import { PlaybackProgramBuilder, run } from '@bss2/stadls';

const CYCLES_PER_US = nominal.fpgaClockCyclesPerUs;
/** CapMem cells settle for 20 ms before anything is measured (hardware.md §3.8). */
const SETTLE = nominal.capMemSettle_us * CYCLES_PER_US;
interface Reference {
  spike_input: { exc_spike_times_ms: number[]; inh_spike_times_ms: number[]; delay_ms: number };
  t_stop_ms: number;
  exact: { spike_input: { spike_times_ms: number[] } };
}
const reference = JSON.parse(readFileSync(new URL('../../test-fixtures/references/lif_reference.json', import.meta.url), 'utf8')) as Reference;
const DELAY_MS = reference.spike_input.delay_ms;
const RUN_MS = reference.t_stop_ms;
const EXACT_SPIKES_MS = reference.exact.spike_input.spike_times_ms;

const lsb = (v_mV: number) => 300 + (73 * (v_mV + 70)) / 5;
// The threshold comparator is switched on only after the CapMem cells settled: while its threshold cell still
// charges from 0 V it would fire (hardware.md §3.8).
const neuron = new AtomicNeuron({
  leak: { vLeak: lsb(-65), iBias: 70 },
  reset: { vReset: lsb(-70), iBias: nominal.capMemValueMax_lsb, enableMultiplication: true },
  threshold: { enable: false, vThreshold: lsb(-55) },
  membraneCapacitance: { capacitance: 18 },
  excitatoryInput: { enable: true, iBiasTau: 60, iBiasGm: 180, iShiftReference: 500 },
  inhibitoryInput: { enable: true, iBiasTau: 60, iBiasGm: 300, iShiftReference: 500 },
  refractoryPeriod: { refractoryTime: 251, resetHoldoff: 15, enablePause: true },
  eventRouting: { analogOutput: 'normal', enableDigital: true, address: 0x41 },
  readout: { enableBufferedAccess: true, source: 'membrane' },
  bayesian: { toPostPulse: false },
});
const circuit = new AtomicNeuronOnDLS(130);
const column = circuit.toNeuronColumnOnDLS().value;
const eventOutput = circuit.toNeuronEventOutputOnDLS().value;
const recordedLabel = ((eventOutput % 4) << 14) | (eventOutput << 8) | 0x41;

const chip = new SimulatedChip({ seed: 1, analog: { idealChip: true, analogStep_ns: 100 } });
const connection = new InProcessConnection(chip);
const builder = new PlaybackProgramBuilder();
builder.write(new TimerOnDLS(), new Timer());
builder.write(new EventRecordingConfigOnFPGA(), new EventRecordingConfig({ enableEventRecording: true }));
// Event path: buses take crossbar events, columns pass both receptors, FPGA inputs are not echoed back.
for (const block of CommonPADIBusConfigOnDLS.all()) builder.write(block, new CommonPADIBusConfig({ enableSpl1: [true, true, true, true] }));
for (const quad of ColumnCurrentQuadOnDLS.all()) {
  builder.write(quad, new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: [true, true, true, true], enableSynapticCurrentInhibitory: [true, true, true, true] }));
}
for (let link = 0; link < 4; link++) {
  builder.write(CrossbarNodeOnDLS.find(new CrossbarInputOnDLS(8 + link), new CrossbarOutputOnDLS(8 + link))!, CrossbarNode.drop);
}
for (const block of CapMemBlockOnDLS.all()) builder.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, block), new CapMemCell({ value: 600 }));
// Driver 0 of the top block takes labels with row select 0: address 1 on its excitatory top row, 2 on its
// inhibitory bottom row; the neuron's column holds one synapse of weight 63 in each.
const driver = new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(0), new SynapseDriverBlockOnDLS(0));
builder.write(driver, new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory', rowModeBottom: 'inhibitory' }));
for (const [row, label] of [[1, 1], [0, 2]] as const) {
  const synapses = new SynapseRow();
  synapses.weights[column] = nominal.synapseWeightMax;
  synapses.labels[column] = label;
  builder.write(new SynapseRowOnDLS(new SynapseRowOnSynram(row), new SynramOnDLS(0)), synapses);
}
builder.write(circuit, neuron);
// The membrane of the even-column top neuron goes to MADC channel 0. At its full rate (34 ns per sample) the
// 200 µs run would give 5 900 samples; clock scaling by 2·(49 + 1) slows it to one sample per 3.4 µs.
builder.write(new ReadoutSourceSelectionOnDLS(), new ReadoutSourceSelection({ neuronEvenTop: [true, false] }));
builder.write(new MADCConfigOnDLS(), new MADCConfig({ numberOfSamples: 59, enableMadcClockScaling: true, madcClockScaleValue: 49 }));
builder.waitUntil(SETTLE - 1000);
builder.write(new MADCControlOnDLS(), new MADCControl({ wakeUp: true }));
builder.waitUntil(SETTLE - 1);
builder.write(new MADCControlOnDLS(), new MADCControl({ startRecording: true }));
const armed = neuron.clone();
armed.threshold.enable = true;
builder.write(circuit, armed, neuron);
const inputs = [
  ...reference.spike_input.exc_spike_times_ms.map((t) => ({ t, label: 1 })),
  ...reference.spike_input.inh_spike_times_ms.map((t) => ({ t, label: 2 })),
].sort((a, b) => a.t - b.t);
for (const { t, label } of inputs) {
  builder.waitUntil(SETTLE + (t + DELAY_MS) * CYCLES_PER_US - 1);
  builder.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip([label]));
}
builder.waitUntil(SETTLE + RUN_MS * CYCLES_PER_US);
const program = builder.done();
const result = await run(connection, program);
await connection.close();

// Chip times are FPGA cycles since power-on; the program's timer started one cycle in.
const origin_us = (1 + SETTLE) / CYCLES_PER_US;
const spikes_ms = program.spikes.filter((s) => s.label === recordedLabel).map((s) => s.chipTime / CYCLES_PER_US - origin_us);
console.log('One LIF neuron (PyNN IF_curr_exp, lif_reference.json "spike_input") on the simulated chip, 1 ms bio = 1 µs hw');
console.log(`  ${inputs.length} input spikes through FPGA → crossbar → PADI bus → driver → synapse; ${program.instructionCount} instructions,`);
console.log(`  run ${result.timing.total_ms.toFixed(1)} ms wall (execute ${result.timing.execute_ms.toFixed(1)} ms)`);
console.log('  spike times, ms (biological):');
for (let i = 0; i < Math.max(spikes_ms.length, EXACT_SPIKES_MS.length); i++) {
  const got = spikes_ms[i];
  const exact = EXACT_SPIKES_MS[i];
  console.log(`    chip ${got === undefined ? '   —   ' : got.toFixed(3).padStart(8)}   exact ${exact === undefined ? '—' : exact.toFixed(3).padStart(8)}`);
}
const samples = program.madcSamples.filter((s) => s.channel === 0);
if (samples.length > 0) {
  const codes = samples.map((s) => s.value);
  const lo = Math.min(...codes);
  const hi = Math.max(...codes);
  const bars = ' ▁▂▃▄▅▆▇█';
  const line = codes.map((c) => bars[Math.round(((c - lo) / Math.max(1, hi - lo)) * 8)]).join('');
  console.log(`  membrane (MADC channel 0, ${samples.length} samples, codes ${lo}..${hi}):`);
  console.log(`    ${line}`);
}
