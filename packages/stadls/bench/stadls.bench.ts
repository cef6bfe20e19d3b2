// Throughput of program building/encoding and of decoding programs and responses into tickets
// (style.md, "Tests and benchmarks"). 1 Gbit/s of instruction words is 15.6 M words/s.
import { Loopback, ResponseStreamWriter } from '@bss2/fisch';
import {
  CapMemCellOnDLS,
  CrossbarNodeOnDLS,
  NeuronConfigOnDLS,
  PPUMemoryOnDLS,
  PPUMemoryWordOnDLS,
  SpikePack1ToChipOnDLS,
  SynapseQuadOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import {
  CapMemCell,
  CrossbarNode,
  NeuronConfig,
  PPUMemory,
  PPUMemoryWord,
  SpikePack1ToChip,
  SynapseQuad,
  Timer,
  type Container,
} from '@bss2/lola';
import { bestOf, type BenchRecord, type Benchmark, seededUniform } from '@bss2/bench';
import { PlaybackProgram, PlaybackProgramBuilder, run, type ContainerTicket } from '../src/index.js';

const INSTRUCTIONS = 1_000_000;
const REPEATS = 5;
const WORD_BYTES = 8;
const PPU_WORDS = 4096;

/** Deterministic 32-bit words, so every run measures the same program. */
function random(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => Math.floor(uniform() * 2 ** 32);
}

function records(name: string, count: number, unit: string, bytes: number, seconds: number, inputs: Record<string, unknown>): BenchRecord[] {
  return [
    { name, value: Math.round(count / seconds), unit, inputs },
    { name, value: Math.round((bytes / seconds / 1e6) * 10) / 10, unit: 'MB/s', inputs },
  ];
}

function ppuMemories(): PPUMemory[] {
  const next = random(42);
  return [0, 1].map(() => new PPUMemory(Array.from({ length: PPU_WORDS }, () => next())));
}

const BULK_MIX = 'timer reset, whole PPU memories (4096 words each, both PPUs alternating), spike packs to fill up';

/** A configuration-sized program: bulk memory images, the kind of write that fills a million instructions. */
function buildBulk(memories: readonly PPUMemory[]): PlaybackProgram {
  const builder = new PlaybackProgramBuilder();
  builder.write(new TimerOnDLS(0), new Timer());
  const coords = [new PPUMemoryOnDLS(0), new PPUMemoryOnDLS(1)];
  for (let i = 0; builder.sizeToFpga() + 2 * PPU_WORDS <= INSTRUCTIONS; i++) builder.write(coords[i % 2]!, memories[i % 2]!);
  const spikes = new SpikePack1ToChipOnDLS(0);
  const spike = new SpikePack1ToChip([0x0102]);
  while (builder.sizeToFpga() < INSTRUCTIONS) builder.write(spikes, spike);
  return builder.done();
}

const REGISTER_MIX = 'NeuronConfig (6 words), CapMemCell, SynapseQuad (2), CrossbarNode, random contents and coordinates';
const REGISTER_INSTRUCTIONS = 100_000;

/** Small registers at random coordinates: the builder's per-write overhead plus lola's encode(). */
function registerWrites(): { coord: NeuronConfigOnDLS | CapMemCellOnDLS | SynapseQuadOnDLS | CrossbarNodeOnDLS; container: Container }[] {
  const next = random(7);
  const writes: ReturnType<typeof registerWrites> = [];
  let instructions = 0;
  while (instructions < REGISTER_INSTRUCTIONS) {
    switch (next() % 4) {
      case 0:
        writes.push({ coord: new NeuronConfigOnDLS(next() % NeuronConfigOnDLS.size), container: NeuronConfig.decode(Uint32Array.from({ length: 6 }, () => next() & 0xff)) });
        instructions += 12;
        break;
      case 1:
        writes.push({ coord: new CapMemCellOnDLS(next() % CapMemCellOnDLS.size), container: new CapMemCell({ value: next() % 1023 }) });
        instructions += 2;
        break;
      case 2:
        writes.push({ coord: new SynapseQuadOnDLS(next() % SynapseQuadOnDLS.size), container: SynapseQuad.decode(Uint32Array.of(next(), next())) });
        instructions += 4;
        break;
      default:
        writes.push({ coord: new CrossbarNodeOnDLS(next() % CrossbarNodeOnDLS.size), container: new CrossbarNode({ mask: next() & 0x3fff }) });
        instructions += 2;
    }
  }
  return writes;
}

/** The response stream of a program of `reads` omnibus reads, as an executor returns it. */
function responses(reads: number): Uint8Array {
  const next = random(11);
  const writer = new ResponseStreamWriter(WORD_BYTES * (reads + 2));
  writer.systime(1000);
  for (let i = 0; i < reads; i++) writer.omnibusData(next());
  writer.loopback(Loopback.halt);
  return writer.toBytes();
}

/** A program of a million read words: whole PPU memories, then single words. */
function readProgram(): { program: PlaybackProgram; tickets: ContainerTicket[] } {
  const builder = new PlaybackProgramBuilder();
  const tickets: ContainerTicket[] = [];
  for (let i = 0; builder.sizeFromFpga() + PPU_WORDS <= INSTRUCTIONS; i++) tickets.push(builder.read(new PPUMemoryOnDLS(i % 2), PPUMemory));
  for (let i = 0; builder.sizeFromFpga() < INSTRUCTIONS; i++) tickets.push(builder.read(new PPUMemoryWordOnDLS(i), PPUMemoryWord));
  return { program: builder.done(), tickets };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'stadls.encode',
    run() {
      const memories = ppuMemories();
      let bytes: Uint8Array = new Uint8Array(0);
      const seconds = bestOf(REPEATS, () => {
        bytes = buildBulk(memories).encode();
      });
      const inputs = { instructions: bytes.length / WORD_BYTES, mix: BULK_MIX, what: 'write() of prebuilt containers + done() + encode()', repeats: REPEATS };
      const out = records('stadls.encode', bytes.length / WORD_BYTES, 'instructions/s', bytes.length, seconds, inputs);

      const writes = registerWrites();
      let count = 0;
      const registerSeconds = bestOf(REPEATS, () => {
        const builder = new PlaybackProgramBuilder();
        for (const w of writes) builder.write(w.coord, w.container);
        count = builder.done().encode().length / WORD_BYTES;
      });
      const encodeSeconds = bestOf(REPEATS, () => {
        for (const w of writes) w.container.encode();
      });
      const registerInputs = {
        instructions: count,
        writes: writes.length,
        mix: REGISTER_MIX,
        what: 'write() + done() + encode(); lola_encode_share = time of the containers’ own encode() calls',
        lola_encode_share: Math.round((encodeSeconds / registerSeconds) * 100) / 100,
        repeats: REPEATS,
      };
      out.push(...records('stadls.encode.registers', count, 'instructions/s', count * WORD_BYTES, registerSeconds, registerInputs));
      return out;
    },
  },
  {
    name: 'stadls.decode',
    async run() {
      const bytes = buildBulk(ppuMemories()).encode();
      let decoded: PlaybackProgram | undefined;
      const seconds = bestOf(REPEATS, () => {
        decoded = PlaybackProgram.decode(bytes);
      });
      const inputs = { instructions: decoded!.instructionCount, mix: BULK_MIX, what: 'PlaybackProgram.decode: validate every word, count expected responses', repeats: REPEATS };
      const out = records('stadls.decode', decoded!.instructionCount, 'instructions/s', bytes.length, seconds, inputs);

      const { program, tickets } = readProgram();
      const stream = responses(program.expectedResponses.omnibusData);
      const executor = { execute: async () => stream };
      let best = Infinity;
      for (let i = 0; i <= REPEATS; i++) {
        const result = await run(executor, program);
        if (i > 0) best = Math.min(best, result.timing.decode_ms / 1000);
      }
      if (!tickets.every((t) => t.valid)) throw new Error('stadls.decode: a ticket was left unfilled');
      const responseInputs = {
        words: program.expectedResponses.omnibusData,
        response_bytes: stream.length,
        tickets: tickets.length,
        what: 'run() decode step: response stream → time annotation → ticket queues (RunTiming.decode_ms)',
        repeats: REPEATS,
      };
      out.push(...records('stadls.decode.responses', program.expectedResponses.omnibusData, 'words/s', stream.length, best, responseInputs));
      return out;
    },
  },
];
