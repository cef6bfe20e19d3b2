// Commissioning example (issue 4): write a neuron configuration and a synapse row, read both back and print
// what differs. Runs against whatever BSS2_CONNECTION selects (default: the in-process simulator):
//   npx tsx tools/commissioning/neuron-and-synapse-row.ts
//   BSS2_CONNECTION=tcp://127.0.0.1:5000 npx tsx tools/commissioning/neuron-and-synapse-row.ts
import { AtomicNeuronOnDLS, SynapseRowOnDLS, TimerOnDLS } from '@bss2/halco';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { AtomicNeuron, type Container, SynapseRow, Timer, nominal } from '@bss2/lola';
import { PlaybackProgramBuilder, run } from '@bss2/stadls';

/** Field-by-field differences of two containers' JSON forms, as `path: written → read` lines. */
export function diffContainers(written: Container, read: Container): string[] {
  const lines: string[] = [];
  const walk = (path: string, a: unknown, b: unknown): void => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) walk(path === '' ? key : `${path}.${key}`, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    } else if (a !== b) {
      lines.push(`  ${path}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  };
  walk('', written.toJSON(), read.toJSON());
  return lines;
}

const connection = await connectFromEnv();
console.log(`connected: ${JSON.stringify(connection.identity)}`);

const neuronCoord = new AtomicNeuronOnDLS(42);
const neuron = new AtomicNeuron({
  leak: { vLeak: 600, iBias: 200 },
  reset: { vReset: 500, iBias: 900 },
  threshold: { enable: true, vThreshold: 750 },
  membraneCapacitance: { capacitance: nominal.membraneCapacitanceMax },
  refractoryPeriod: { refractoryTime: 100, resetHoldoff: 15 },
});
neuron.eventRouting = AtomicNeuron.EventRouting.enabled;
neuron.eventRouting.address = 17;

const rowCoord = new SynapseRowOnDLS(3);
const row = new SynapseRow();
for (let column = 0; column < 256; column++) {
  row.weights[column] = (column * 7) % 64;
  row.labels[column] = column % 64;
}

const builder = new PlaybackProgramBuilder();
builder.write(new TimerOnDLS(), new Timer());
builder.write(neuronCoord, neuron);
builder.write(rowCoord, row);
const neuronTicket = builder.read(neuronCoord, AtomicNeuron);
const rowTicket = builder.read(rowCoord, SynapseRow);
const result = await run(connection, builder.done());
await connection.close();

for (const [name, written, ticket] of [
  [`AtomicNeuron at ${neuronCoord.toString()}`, neuron, neuronTicket],
  [`SynapseRow at ${rowCoord.toString()}`, row, rowTicket],
] as const) {
  const diff = diffContainers(written, ticket.get());
  console.log(`${name}: ${diff.length === 0 ? 'read back identical to what was written' : `${diff.length} fields differ`}`);
  for (const line of diff) console.log(line);
}
console.log(`timing: ${JSON.stringify(result.timing)}`);
