// The reference's multi-compartment example (pynn_brainscales examples/multicompartment.py), ported: a chain of
// compartments of two circuits each, joined through the conductance onto the shared line; one input per
// compartment at its own time; every compartment's membrane on the CADC. Times are biological (the reference's
// 0.15 ms hardware run is 150 ms here). `npx tsx examples/multicompartment.ts`
import * as pynn from '../src/index.js';

/**
 * The chain's class (the reference's `create_neuron_class`): compartment n on circuits 2n, 2n + 1 of row 0,
 * circuit 2n switched onto the shared line (n > 0), circuit 2n + 1 joined to it through `conductance`
 * (`i_bias_nmda`, CapMem LSB), the line laid from 2n + 1 to 2n + 2.
 */
export function createChainClass(length: number, conductance = 200): pynn.McNeuronClass {
  const compartments: pynn.PlacedCompartment[] = [];
  const connections: pynn.SharedLineConnection[] = [];
  for (let n = 0; n < length; n++) {
    const first = 2 * n;
    compartments.push(
      new pynn.PlacedCompartment({
        positions: [first, first + 1],
        label: `comp${n}`,
        connectSharedLine: n > 0 ? [first] : [],
        connectConductance: n < length - 1 ? [[first + 1, conductance]] : [],
      }),
    );
    if (n < length - 1) connections.push(new pynn.SharedLineConnection({ start: first + 1, stop: first + 2, row: 0 }));
  }
  return pynn.createMcNeuron('McNeuron', { compartments, connections, singleActiveCircuit: true });
}

/** Per compartment: its input time and its CADC trace (raw codes). */
export async function multicompartmentExample(length = 3, runtime_ms = 150): Promise<{ input_ms: number[]; traces: pynn.AnalogSignal[] }> {
  const McNeuron = createChainClass(length);
  pynn.setup({ chipSeed: 1, calibration: 'nominal', initialConfig: 'calibration' });
  const neuron = new pynn.Population(1, new McNeuron({ threshold_enable: false }), { label: 'chain' });
  const input_ms = Array.from({ length }, (_, n) => 10 + (n * (runtime_ms - 60)) / Math.max(1, length - 1));
  for (let n = 0; n < length; n++) {
    const source = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [input_ms[n]!] }), { label: `input ${n}` });
    new pynn.Projection(source, neuron, new pynn.AllToAllConnector({ locationSelector: `comp${n}` }), new pynn.StaticSynapse({ weight: 63 }));
  }
  neuron.record('v', { locations: Array.from({ length }, (_, n) => `comp${n}`), device: 'cadc', samplingInterval: 1.024 });
  await pynn.run(runtime_ms);
  const traces = neuron.getData('v').segments[0]!.analogsignals;
  await pynn.end();
  return { input_ms, traces };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { input_ms, traces } = await multicompartmentExample();
  for (const trace of traces) {
    const n = trace.annotations.source_compartment!;
    const peak = trace.values.indexOf(Math.max(...trace.values));
    console.log(`${trace.annotations.source_location}: input at ${input_ms[n]} ms, largest response ${Math.max(...trace.values)} LSB at ${trace.times[peak]!.toFixed(1)} ms`);
  }
}
