// Throughput of the PPU toolchain (style.md, "Tests and benchmarks"). `ppu.toolchain.decode`: words decoded to
// an instruction id and operands per second — the step chip-sim's interpreter takes per (uncached) instruction.
// `ppu.toolchain.assemble`: source lines assembled per second (a generated kernel of mixed instructions).
import { bestOf, type Benchmark, seededUniform } from '@bss2/bench';
import { assemble, decodeId, extractOperand, instructions } from '../src/index.js';

const WORDS = 1_000_000;
const LINES = 20_000;
const REPEATS = 5;

/** Valid words of random table instructions with random operand bits (form rules kept by re-encoding). */
function randomWords(): Uint32Array {
  const next = seededUniform(7);
  const words = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; ) {
    const def = instructions[Math.floor(next() * instructions.length)]!;
    const word = (def.match | (Math.floor(next() * 2 ** 32) & ~def.mask)) >>> 0;
    if (decodeId(word) >= 0) words[i++] = word;
  }
  return words;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ppu.toolchain.decode',
    run() {
      const words = randomWords();
      let checksum = 0;
      const seconds = bestOf(REPEATS, () => {
        for (let i = 0; i < words.length; i++) {
          const id = decodeId(words[i]!);
          const operands = instructions[id]!.operands;
          for (let k = 0; k < operands.length; k++) checksum += extractOperand(operands[k]!, words[i]!);
        }
      });
      return [{ name: 'ppu.toolchain.decode', value: Math.round(WORDS / seconds), unit: 'words/s', inputs: { words: WORDS, mix: 'uniform over the table', repeats: REPEATS, checksum: checksum & 0xffff } }];
    },
  },
  {
    name: 'ppu.toolchain.assemble',
    run() {
      const body = ['loop: addi r3, r3, -1', 'lwz r4, 8(r1)', 'fxvaddbfs v1, v2, v3', 'rlwinm r5, r4, 3, 0, 28', 'cmpwi cr1, r3, 0', 'bne cr1, loop'];
      const source = Array.from({ length: LINES }, (_, i) => (i % body.length === 0 ? `l${i}: ${body[0]!.slice(6)}` : body[i % body.length]!)).join('\n');
      const seconds = bestOf(REPEATS, () => {
        assemble(source);
      });
      return [{ name: 'ppu.toolchain.assemble', value: Math.round(LINES / seconds), unit: 'lines/s', inputs: { lines: LINES, repeats: REPEATS } }];
    },
  },
];
