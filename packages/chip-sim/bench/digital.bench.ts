// Throughput of the digital core: omnibus programs executed end to end (decode, execute, encode responses),
// and the one-time cost of the memory map (style.md, "Tests and benchmarks").
import { InstructionStream, Loopback } from '@bss2/fisch';
import { type OmnibusContainerName, omnibusEntries } from '@bss2/halco';
import { bestOf, type BenchRecord, type Benchmark, seededUniform } from '@bss2/bench';
import { MemoryMap, SimulatedChip } from '../src/index.js';

const ACCESSES = 1_000_000;
const WRITE_FRACTION = 0.75;
const REPEATS = 5;
/** Read-write units of every storage kind: neuron and driver SRAM, CapMem, synapse windows, PPU memory. */
const CONTAINERS: OmnibusContainerName[] = [
  'NeuronConfig',
  'SynapseDriverConfig',
  'CapMemCell',
  'SynapseQuad',
  'SynapseWeightQuad',
  'SynapseLabelQuad',
  'PPUMemoryWord',
];

const random = seededUniform;

function addressPool(): Uint32Array {
  return Uint32Array.from([...omnibusEntries(CONTAINERS)].map((e) => e.address));
}

/** `ACCESSES` omnibus accesses; `order` picks the addresses: random over the pool, or the pool in order. */
function program(pool: Uint32Array, order: 'random' | 'sequential'): InstructionStream {
  const next = random(7);
  const stream = new InstructionStream(2 * ACCESSES + 1);
  for (let i = 0; i < ACCESSES; i++) {
    const address = order === 'random' ? pool[Math.floor(next() * pool.length)]! : pool[i % pool.length]!;
    if (next() < WRITE_FRACTION) stream.omnibusWrite(address, Math.floor(next() * 2 ** 32));
    else stream.omnibusRead(address);
  }
  return stream.loopback(Loopback.halt);
}

function executeBench(name: string, order: 'random' | 'sequential'): Benchmark {
  return {
    name,
    run(): BenchRecord[] {
      const pool = addressPool();
      const stream = program(pool, order);
      const bytes = stream.toBytes();
      const chip = new SimulatedChip({ seed: 1 });
      let responseBytes = 0;
      const seconds = bestOf(REPEATS, () => {
        responseBytes = chip.execute(bytes).length;
      });
      return [
        {
          name,
          value: Math.round(stream.length / seconds),
          unit: 'instructions/s',
          inputs: {
            accesses: ACCESSES,
            instructions: stream.length,
            writeFraction: WRITE_FRACTION,
            addressOrder: order,
            containers: CONTAINERS,
            addressPool: pool.length,
            responseBytes,
            ms: +(seconds * 1000).toFixed(1),
          },
        },
      ];
    },
  };
}

export const benchmarks: Benchmark[] = [
  executeBench('chip-sim.execute.omnibus', 'random'),
  executeBench('chip-sim.execute.omnibus.sequential', 'sequential'),
  {
    name: 'chip-sim.memory-map.build',
    run(): BenchRecord[] {
      const seconds = bestOf(REPEATS, () => new MemoryMap());
      return [{ name: 'chip-sim.memory-map.build', value: +(seconds * 1000).toFixed(1), unit: 'ms', inputs: { from: 'halco omnibusAddresses + lola defaults' } }];
    },
  },
];
