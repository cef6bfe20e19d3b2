import { Access, type PPUBus } from './bus.js';
import { LOCAL_BYTES, LOCAL_WORDS, RETURN_ADDRESS, RETURN_CODE_WORD, VECTOR_ALIGNMENT, VECTOR_BYTES } from './constants.js';
import type { PPUFaultReason, PPUFaultRecord } from './fault.js';
import { type DecodedSlots, decodeInto, disassembly } from './isa.js';
import { Op } from './ops.js';
import { VectorUnit } from './vector-unit.js';

// The interpreter's switch uses the numeric values of `Op` and `Flag` as literals, each with its name in a comment:
// literal case labels compile to a jump table, property loads to a chain of compares (ppu.mips halves). The
// test ppu-scalar.test.ts checks every literal against ops.ts.

/** State of one core as the host sees it. */
export const CoreState = {
  /** Held in reset (PPUControlRegister.inhibit_reset set): nothing runs. */
  reset: 0,
  running: 1,
  /** Halted by the program (return from the entry, or `wait`): status reports sleep. */
  halted: 2,
  /** Stopped by a fault (`PPUFault`): status reports sleep, the record is kept. */
  faulted: 3,
} as const;
export type CoreState = (typeof CoreState)[keyof typeof CoreState];

/** Why `run` returned. */
export const Stop = {
  /** The cycle limit was reached. */
  limit: 0,
  /** The next instruction reaches beyond local memory: bring the chip to `cycle` and run again with the grant. */
  pending: 1,
  /** The core is not running (halted, faulted or in reset). */
  stopped: 2,
} as const;

// XER bits (Power ISA XER[32..34] in a 32-bit register).
const XER_SO = 0x8000_0000 | 0;
const XER_OV = 0x4000_0000;
const XER_CA = 0x2000_0000;
const SPR_XER = 1;
const SPR_LR = 8;
const SPR_CTR = 9;
const SPR_TBL = 268;
const SPR_TBU = 269;
const TB_WRAP = 2 ** 32;

/**
 * One plasticity processor (hardware.md §7): a 32-bit big-endian Power ISA core with the s2pp vector unit,
 * executing from `@bss2/ppu`'s table through a decode cache per local-memory word (the raw word is kept with
 * its decoded slots and compared at every fetch, so any write to code — by the core, the other core or the
 * host — is seen without invalidation hooks). Local memory is the register file's PPUMemoryWord words of this
 * PPU: host omnibus writes land in it and host reads see what the core wrote.
 *
 * Time: `cycle` counts PPU cycles (250 MHz) since power-on; each instruction costs its class of the cycle
 * model (`@bss2/ppu`'s `ppuCycleCosts`): ALU, branch and local memory 1, vector windows 8 (a CADC conversion
 * 135), chip registers 16, FPGA SRAM 64, DRAM 256. An access beyond local memory happens at the cycle the
 * instruction starts, after the chip was brought to that time (`Stop.pending`).
 */
export class PPUCore {
  readonly gpr = new Int32Array(32);
  cr = 0;
  xer = 0;
  lr = 0;
  ctr = 0;
  pc = 0;
  cycle = 0;
  state: CoreState = CoreState.reset;
  /** PPU cycle of the last start (for the timeout). */
  startCycle = 0;
  timeout_cycles: number;
  fault: PPUFaultRecord | undefined;
  /** Instructions executed since power-on (benchmarks; not chip state). */
  retired = 0;
  readonly vector: VectorUnit;

  // Decode cache, one entry per local word. Invariant: entry i holds the decode of cacheWord[i] (from the
  // start: every entry is the decode of word 0), so a fetch checks one compare and needs no valid bits.
  private readonly cacheWord = new Uint32Array(LOCAL_WORDS);
  private readonly cacheOp = new Uint8Array(LOCAL_WORDS);
  private readonly cacheFlags = new Uint8Array(LOCAL_WORDS);
  private readonly cacheA = new Int32Array(LOCAL_WORDS);
  private readonly cacheB = new Int32Array(LOCAL_WORDS);
  private readonly cacheC = new Int32Array(LOCAL_WORDS);
  private readonly cacheD = new Int32Array(LOCAL_WORDS);
  private readonly slots: DecodedSlots = { op: 0, flags: 0, a: 0, b: 0, c: 0, d: 0 };

  constructor(
    readonly index: number,
    /** This PPU's 4096 local words (big-endian bytes within each word). */
    readonly memory: Uint32Array,
    private readonly bus: PPUBus,
    randomSeed: number,
    timeout_cycles: number,
  ) {
    if (memory.length !== LOCAL_WORDS) throw new RangeError(`PPU ${index}: local memory of ${memory.length} words, expected ${LOCAL_WORDS}`);
    this.vector = new VectorUnit(randomSeed);
    this.timeout_cycles = timeout_cycles;
    this.fill(0, 0);
    this.cacheOp.fill(this.cacheOp[0]!);
    this.cacheFlags.fill(this.cacheFlags[0]!);
    this.cacheA.fill(this.cacheA[0]!);
    this.cacheB.fill(this.cacheB[0]!);
    this.cacheC.fill(this.cacheC[0]!);
    this.cacheD.fill(this.cacheD[0]!);
  }

  /** Held in reset: architected state cleared (the vector registers too), nothing runs. */
  holdInReset(): void {
    this.state = CoreState.reset;
    this.fault = undefined;
  }

  /** Leaves reset at PPU cycle `cycle`: PC 0, registers 0, LR = the return address (Choice). */
  start(cycle: number): void {
    this.gpr.fill(0);
    this.cr = this.xer = this.ctr = 0;
    this.lr = RETURN_ADDRESS | 0;
    this.pc = 0;
    this.vector.reset();
    this.cycle = cycle;
    this.startCycle = cycle;
    this.fault = undefined;
    this.state = CoreState.running;
  }

  /** Power-on / chip reset: in reset, cycle `cycle` (the decode cache stays: it is keyed by the words). */
  powerOn(cycle: number): void {
    this.holdInReset();
    this.cycle = cycle;
    this.vector.reset();
  }

  /** CR bits of a signed comparison of r with 0, plus SO. */
  private cr0(r: number): void {
    const nibble = (r < 0 ? 8 : r > 0 ? 4 : 2) | (this.xer >>> 31);
    this.cr = (this.cr & 0x0fff_ffff) | (nibble << 28);
  }

  /** x + y + carryIn with CA (and OV/SO when `oe`). */
  private addCarrying(x: number, y: number, carryIn: number, oe: boolean): number {
    const sum = (x >>> 0) + (y >>> 0) + carryIn;
    const r = sum | 0;
    this.xer = sum > 0xffff_ffff ? this.xer | XER_CA : this.xer & ~XER_CA;
    if (oe) this.setOverflow(((x ^ r) & (y ^ r)) < 0);
    return r;
  }

  private setOverflow(ov: boolean): void {
    this.xer = ov ? this.xer | XER_OV | XER_SO : this.xer & ~XER_OV;
  }

  /**
   * Runs until PPU cycle `limit`, a stop, or an access beyond local memory (`Stop.pending`, with the core at
   * that instruction). With `granted`, the first instruction may make that access (the chip is at `cycle`).
   */
  run(limit: number, granted: boolean): number {
    if (this.state !== CoreState.running) return Stop.stopped;
    const mem = this.memory;
    const gpr = this.gpr;
    const cacheWord = this.cacheWord;
    const cacheOp = this.cacheOp;
    const cacheFlags = this.cacheFlags;
    const cacheA = this.cacheA;
    const cacheB = this.cacheB;
    const cacheC = this.cacheC;
    const cacheD = this.cacheD;
    const deadline = this.startCycle + this.timeout_cycles;
    const stopAt = Math.min(limit, deadline);
    let pc = this.pc;
    let cycle = this.cycle;
    let retired = 0;
    let grant = granted;
    let result: number = Stop.limit;
    loop: while (cycle < stopAt) {
      let op: number;
      let flags: number;
      let a: number;
      let b: number;
      let c: number;
      let d: number;
      let word: number;
      if (pc >>> 0 < LOCAL_BYTES) {
        const i = pc >>> 2;
        word = mem[i]!;
        if (cacheWord[i] !== word) this.fill(i, word);
        op = cacheOp[i]!;
        flags = cacheFlags[i]!;
        a = cacheA[i]!;
        b = cacheB[i]!;
        c = cacheC[i]!;
        d = cacheD[i]!;
      } else {
        // Fetch beyond local memory: the return address halts; the FPGA instruction windows are a bus access.
        if (pc === (RETURN_ADDRESS | 0)) {
          mem[RETURN_CODE_WORD] = gpr[3]! >>> 0;
          this.state = CoreState.halted;
          result = Stop.stopped;
          break;
        }
        if (!grant) {
          result = Stop.pending;
          break;
        }
        const status = this.bus.fetch(this.index, pc >>> 0);
        if (status !== Access.ok) {
          this.stopWithFault(status === Access.misaligned ? 'misaligned' : 'bad-address', pc, 0, cycle, `instruction fetch: ${this.bus.refusedDetail}`, pc);
          result = Stop.stopped;
          break;
        }
        cycle += this.bus.cost_cycles - 1;
        word = this.bus.loaded;
        const s = this.slots;
        if (!decodeInto(word, s)) s.op = Op.illegal;
        op = s.op;
        flags = s.flags;
        a = s.a;
        b = s.b;
        c = s.c;
        d = s.d;
      }
      let next = (pc + 4) | 0;
      let cost = 1;
      switch (op) {
        // ---- integer arithmetic -------------------------------------------------------------------------
        case 1 /* addi */:
        case 2 /* addis */:
          gpr[a] = ((b === 0 ? 0 : gpr[b]!) + c) | 0;
          break;
        case 3 /* addic */:
          gpr[a] = this.addCarrying(gpr[b]!, c, 0, false);
          if ((flags & 1 /* rc */) !== 0) this.cr0(gpr[a]!);
          break;
        case 4 /* subfic */:
          gpr[a] = this.addCarrying(~gpr[b]!, c, 1, false);
          break;
        case 5 /* mulli */:
          gpr[a] = Math.imul(gpr[b]!, c);
          break;
        case 6 /* add */: {
          const x = gpr[b]!;
          const y = gpr[c]!;
          const r = (x + y) | 0;
          if ((flags & 2 /* oe */) !== 0) this.setOverflow(((x ^ r) & (y ^ r)) < 0);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 11 /* subf */: {
          const x = ~gpr[b]!;
          const y = gpr[c]!;
          const r = (x + y + 1) | 0;
          if ((flags & 2 /* oe */) !== 0) this.setOverflow(((x ^ r) & (y ^ r)) < 0);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 7 /* addc */:
        case 8 /* adde */:
        case 9 /* addze */:
        case 10 /* addme */:
        case 12 /* subfc */:
        case 13 /* subfe */:
        case 14 /* subfze */:
        case 15 /* subfme */: {
          const ca = (this.xer & XER_CA) !== 0 ? 1 : 0;
          const ra = gpr[b]!;
          let r: number;
          const oe = (flags & 2 /* oe */) !== 0;
          if (op === 7 /* addc */) r = this.addCarrying(ra, gpr[c]!, 0, oe);
          else if (op === 8 /* adde */) r = this.addCarrying(ra, gpr[c]!, ca, oe);
          else if (op === 9 /* addze */) r = this.addCarrying(ra, 0, ca, oe);
          else if (op === 10 /* addme */) r = this.addCarrying(ra, -1, ca, oe);
          else if (op === 12 /* subfc */) r = this.addCarrying(~ra, gpr[c]!, 1, oe);
          else if (op === 13 /* subfe */) r = this.addCarrying(~ra, gpr[c]!, ca, oe);
          else if (op === 14 /* subfze */) r = this.addCarrying(~ra, 0, ca, oe);
          else r = this.addCarrying(~ra, -1, ca, oe);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 16 /* neg */: {
          const x = gpr[b]!;
          const r = -x | 0;
          if ((flags & 2 /* oe */) !== 0) this.setOverflow(x === -0x8000_0000);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 17 /* mullw */: {
          const x = gpr[b]!;
          const y = gpr[c]!;
          const r = Math.imul(x, y);
          if ((flags & 2 /* oe */) !== 0) this.setOverflow(x * y !== r);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 18 /* mulhw */:
        case 19 /* mulhwu */: {
          const x = gpr[b]!;
          const y = gpr[c]!;
          let r = mulhwu(x >>> 0, y >>> 0);
          if (op === 18 /* mulhw */) r = (r - (x < 0 ? y : 0) - (y < 0 ? x : 0)) | 0;
          gpr[a] = r | 0;
          if ((flags & 1 /* rc */) !== 0) this.cr0(gpr[a]!);
          break;
        }
        case 20 /* divw */:
        case 21 /* divwu */: {
          const x = gpr[b]!;
          const y = gpr[c]!;
          // Choice: the undefined quotients (÷0, −2^31 ÷ −1) are 0; OE records the overflow.
          const invalid = y === 0 || (op === 20 /* divw */ && x === -0x8000_0000 && y === -1);
          const r = invalid ? 0 : op === 20 /* divw */ ? (x / y) | 0 : ((x >>> 0) / (y >>> 0)) | 0;
          if ((flags & 2 /* oe */) !== 0) this.setOverflow(invalid);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        // ---- logic ---------------------------------------------------------------------------------------
        case 22 /* and */:
        case 23 /* or */:
        case 24 /* xor */:
        case 25 /* nand */:
        case 26 /* nor */:
        case 27 /* andc */:
        case 28 /* orc */:
        case 29 /* eqv */: {
          const s = gpr[b]!;
          const t = gpr[c]!;
          const r =
            op === 22 /* and */ ? s & t : op === 23 /* or */ ? s | t : op === 24 /* xor */ ? s ^ t : op === 25 /* nand */ ? ~(s & t) : op === 26 /* nor */ ? ~(s | t) : op === 27 /* andc */ ? s & ~t : op === 28 /* orc */ ? s | ~t : ~(s ^ t);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 30 /* andi */:
        case 31 /* andis */:
          gpr[a] = gpr[b]! & c;
          this.cr0(gpr[a]!);
          break;
        case 32 /* ori */:
        case 33 /* oris */:
          gpr[a] = gpr[b]! | c;
          break;
        case 34 /* xori */:
        case 35 /* xoris */:
          gpr[a] = gpr[b]! ^ c;
          break;
        case 36 /* extsb */:
        case 37 /* extsh */:
        case 38 /* cntlzw */: {
          const s = gpr[b]!;
          const r = op === 36 /* extsb */ ? (s << 24) >> 24 : op === 37 /* extsh */ ? (s << 16) >> 16 : Math.clz32(s);
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        // ---- shifts and rotates --------------------------------------------------------------------------
        case 39 /* slw */:
        case 40 /* srw */: {
          const n = gpr[c]! & 0x3f;
          const s = gpr[b]!;
          const r = n >= 32 ? 0 : op === 39 /* slw */ ? s << n : (s >>> n) | 0;
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 41 /* sraw */:
        case 42 /* srawi */: {
          const n = op === 42 /* srawi */ ? c : gpr[c]! & 0x3f;
          const s = gpr[b]!;
          const r = n >= 32 ? s >> 31 : s >> n;
          const lost = n >= 32 ? s !== 0 : n > 0 && (s & ((1 << n) - 1)) !== 0;
          this.xer = s < 0 && lost ? this.xer | XER_CA : this.xer & ~XER_CA;
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        case 43 /* rlwinm */:
        case 44 /* rlwnm */:
        case 45 /* rlwimi */: {
          const s = gpr[b]!;
          const n = op === 44 /* rlwnm */ ? gpr[c]! & 31 : c;
          const rotated = (s << n) | (s >>> (32 - n));
          const r = op === 45 /* rlwimi */ ? (rotated & d) | (gpr[a]! & ~d) : rotated & d;
          gpr[a] = r;
          if ((flags & 1 /* rc */) !== 0) this.cr0(r);
          break;
        }
        // ---- compares and the condition register ---------------------------------------------------------
        case 48 /* cmpi */: {
          const x = gpr[b]!;
          const shift = 28 - 4 * a;
          this.cr = (this.cr & ~(0xf << shift)) | (((x < c ? 8 : x > c ? 4 : 2) | (this.xer >>> 31)) << shift);
          break;
        }
        case 46 /* cmp */:
        case 47 /* cmpl */:
        case 49 /* cmpli */: {
          let x = gpr[b]!;
          let y = op === 46 /* cmp */ || op === 47 /* cmpl */ ? gpr[c]! : c;
          if (op === 47 /* cmpl */ || op === 49 /* cmpli */) {
            x >>>= 0;
            y >>>= 0;
          }
          const nibble = (x < y ? 8 : x > y ? 4 : 2) | (this.xer >>> 31);
          const shift = 28 - 4 * a;
          this.cr = (this.cr & ~(0xf << shift)) | (nibble << shift);
          break;
        }
        case 50 /* crand */:
        case 51 /* cror */:
        case 52 /* crxor */:
        case 53 /* crnand */:
        case 54 /* crnor */:
        case 55 /* creqv */:
        case 56 /* crandc */:
        case 57 /* crorc */: {
          const x = (this.cr >>> (31 - b)) & 1;
          const y = (this.cr >>> (31 - c)) & 1;
          const r =
            (op === 50 /* crand */ ? x & y : op === 51 /* cror */ ? x | y : op === 52 /* crxor */ ? x ^ y : op === 53 /* crnand */ ? ~(x & y) : op === 54 /* crnor */ ? ~(x | y) : op === 55 /* creqv */ ? ~(x ^ y) : op === 56 /* crandc */ ? x & ~y : x | ~y) & 1;
          const bit = 1 << (31 - a);
          this.cr = r === 1 ? this.cr | bit : this.cr & ~bit;
          break;
        }
        case 58 /* mcrf */: {
          const field = (this.cr >>> (28 - 4 * b)) & 0xf;
          this.cr = (this.cr & ~(0xf << (28 - 4 * a))) | (field << (28 - 4 * a));
          break;
        }
        case 59 /* mfcr */:
          gpr[a] = this.cr;
          break;
        case 60 /* mtcrf */: {
          let mask = 0;
          for (let k = 0; k < 8; k++) if ((a & (0x80 >>> k)) !== 0) mask |= 0xf << (28 - 4 * k);
          this.cr = (this.cr & ~mask) | (gpr[b]! & mask);
          break;
        }
        // ---- loads and stores ----------------------------------------------------------------------------
        case 61 /* lbz */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if (ea >>> 0 < LOCAL_BYTES) gpr[a] = (mem[ea >>> 2]! >>> (24 - 8 * (ea & 3))) & 0xff;
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 62 /* lhz */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if ((ea & 1) === 0 && ea >>> 0 < LOCAL_BYTES) gpr[a] = (mem[ea >>> 2]! >>> (16 - 8 * (ea & 2))) & 0xffff;
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 63 /* lha */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if ((ea & 1) === 0 && ea >>> 0 < LOCAL_BYTES) gpr[a] = ((mem[ea >>> 2]! >>> (16 - 8 * (ea & 2))) << 16) >> 16;
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 64 /* lwz */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if ((ea & 3) === 0 && ea >>> 0 < LOCAL_BYTES) gpr[a] = mem[ea >>> 2]! | 0;
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 65 /* stb */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if (ea >>> 0 < LOCAL_BYTES) {
            const shift = 24 - 8 * (ea & 3);
            const i = ea >>> 2;
            mem[i] = (mem[i]! & ~(0xff << shift)) | ((gpr[a]! & 0xff) << shift);
          }
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 66 /* sth */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if ((ea & 1) === 0 && ea >>> 0 < LOCAL_BYTES) {
            const shift = 16 - 8 * (ea & 2);
            const i = ea >>> 2;
            mem[i] = (mem[i]! & ~(0xffff << shift)) | ((gpr[a]! & 0xffff) << shift);
          }
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 67 /* stw */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + ((flags & 32 /* indexed */) !== 0 ? gpr[c]! : c)) | 0;
          if ((ea & 3) === 0 && ea >>> 0 < LOCAL_BYTES) mem[ea >>> 2] = gpr[a]!;
          else {
            const status = this.access(op, a, ea, grant, pc, word, cycle);
            if (status !== 0) {
              result = status;
              break loop;
            }
            cost = this.bus.cost_cycles;
          }
          if ((flags & 16 /* update */) !== 0) gpr[b] = ea;
          break;
        }
        case 68 /* lmw */:
        case 69 /* stmw */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + c) | 0;
          if ((ea & 3) !== 0) {
            this.stopWithFault('misaligned', pc, word, cycle, 'a multiple-word access needs an address aligned to 4', ea);
            result = Stop.stopped;
            break loop;
          }
          const count = 32 - a;
          const end = (ea >>> 0) + 4 * count;
          if (end <= LOCAL_BYTES) {
            for (let k = 0; k < count; k++) {
              if (op === 68 /* lmw */) gpr[a + k] = mem[(ea >>> 2) + k]! | 0;
              else mem[(ea >>> 2) + k] = gpr[a + k]!;
            }
            cost = count;
          } else {
            // Choice: a multiple-word access must lie in local memory.
            this.stopWithFault('bad-address', pc, word, cycle, `lmw/stmw reach local memory only (0..${LOCAL_BYTES - 1})`, ea);
            result = Stop.stopped;
            break loop;
          }
          break;
        }
        // ---- branches ------------------------------------------------------------------------------------
        case 70 /* b */:
          if ((flags & 4 /* link */) !== 0) this.lr = next;
          next = (flags & 8 /* absolute */) !== 0 ? a : (pc + a) | 0;
          break;
        case 71 /* bc */:
        case 72 /* bclr */:
        case 73 /* bcctr */: {
          const bo = a;
          if ((bo & 0x04) === 0 && op !== 73 /* bcctr */) this.ctr = (this.ctr - 1) | 0;
          const ctrOk = (bo & 0x04) !== 0 || op === 73 /* bcctr */ || (this.ctr !== 0) !== ((bo & 0x02) !== 0);
          const condOk = (bo & 0x10) !== 0 || ((this.cr >>> (31 - b)) & 1) === ((bo >>> 3) & 1);
          const target = op === 71 /* bc */ ? ((flags & 8 /* absolute */) !== 0 ? c : (pc + c) | 0) : op === 72 /* bclr */ ? this.lr & ~3 : this.ctr & ~3;
          if ((flags & 4 /* link */) !== 0) this.lr = next;
          if (ctrOk && condOk) next = target;
          break;
        }
        // ---- special-purpose registers, synchronisation, halt --------------------------------------------
        case 74 /* mfspr */:
        case 76 /* mftb */: {
          const spr = b;
          let v: number;
          if (spr === SPR_XER) v = this.xer;
          else if (spr === SPR_LR) v = this.lr;
          else if (spr === SPR_CTR) v = this.ctr;
          else if (spr === SPR_TBL) v = cycle % TB_WRAP | 0;
          else if (spr === SPR_TBU) v = Math.floor(cycle / TB_WRAP) | 0;
          else {
            this.stopWithFault('illegal-instruction', pc, word, cycle, `SPR ${spr} is not implemented (XER 1, LR 8, CTR 9, time base 268/269)`);
            result = Stop.stopped;
            break loop;
          }
          gpr[a] = v;
          break;
        }
        case 75 /* mtspr */: {
          const v = gpr[b]!;
          if (a === SPR_XER) this.xer = v & (XER_SO | XER_OV | XER_CA);
          else if (a === SPR_LR) this.lr = v;
          else if (a === SPR_CTR) this.ctr = v;
          else {
            this.stopWithFault('illegal-instruction', pc, word, cycle, `SPR ${a} is not writable (XER 1, LR 8, CTR 9)`);
            result = Stop.stopped;
            break loop;
          }
          break;
        }
        case 77 /* sync */:
          break;
        case 78 /* halt */:
          this.state = CoreState.halted;
          this.pc = next;
          this.cycle = cycle + 1;
          this.retired += retired + 1;
          return Stop.stopped;
        // ---- the vector unit ----------------------------------------------------------------------------
        case 127 /* vLax */:
        case 128 /* vStax */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + gpr[c]!) | 0;
          if ((ea & (VECTOR_ALIGNMENT - 1)) !== 0) {
            this.stopWithFault('misaligned', pc, word, cycle, `a vector access needs an address aligned to ${VECTOR_ALIGNMENT}`, ea);
            result = Stop.stopped;
            break loop;
          }
          if ((ea >>> 0) + VECTOR_BYTES > LOCAL_BYTES) {
            this.stopWithFault('bad-address', pc, word, cycle, `fxvlax/fxvstax reach local memory only (0..${LOCAL_BYTES - 1})`, ea);
            result = Stop.stopped;
            break loop;
          }
          if (op === 127 /* vLax */) this.vector.load(a, mem, ea >>> 2);
          else this.vector.store(a, mem, ea >>> 2, d);
          break;
        }
        case 129 /* vInx */:
        case 130 /* vOutx */: {
          const ea = ((b === 0 ? 0 : gpr[b]!) + gpr[c]!) | 0;
          if (!grant) {
            result = Stop.pending;
            break loop;
          }
          const v = this.vector;
          const status = op === 129 /* vInx */ ? this.bus.vectorIn(this.index, ea >>> 0, v.registers, a * VECTOR_BYTES) : this.bus.vectorOut(this.index, ea >>> 0, v.registers, a * VECTOR_BYTES, v.maskFor(d));
          if (status !== Access.ok) {
            this.stopWithFault(status === Access.misaligned ? 'misaligned' : 'bad-address', pc, word, cycle, this.bus.refusedDetail, ea);
            result = Stop.stopped;
            break loop;
          }
          cost = this.bus.cost_cycles;
          break;
        }
        case 116 /* vSplatB */:
        case 117 /* vSplatH */:
          this.vector.splat(op, a, gpr[b]!, d);
          break;
        case 0 /* illegal */:
          this.stopWithFault('illegal-instruction', pc, word, cycle, "the word is no instruction of @bss2/ppu's table");
          result = Stop.stopped;
          break loop;
        default:
          this.vector.execute(op, a, b, c, d);
      }
      pc = next;
      cycle += cost;
      retired++;
      grant = false;
    }
    if (this.state === CoreState.running) {
      this.pc = pc;
      this.cycle = cycle;
      if (result === Stop.limit && cycle >= deadline) {
        const i = pc >>> 0 < LOCAL_BYTES ? pc >>> 2 : -1;
        this.stopWithFault('timeout', pc, i >= 0 ? mem[i]! : 0, cycle, `no halt within ${this.timeout_cycles} PPU cycles of the start`);
        result = Stop.stopped;
      }
    }
    this.retired += retired;
    return result;
  }

  /**
   * A scalar access the fast path of `run` did not take: misaligned (fault), or beyond local memory (pending
   * without the grant, else through the bus). Returns 0 when done (cost in `bus.cost_cycles`), else the Stop.
   */
  private access(op: number, a: number, ea: number, grant: boolean, pc: number, word: number, cycle: number): number {
    const size = op === 64 /* lwz */ || op === 67 /* stw */ ? 4 : op === 61 /* lbz */ || op === 65 /* stb */ ? 1 : 2;
    if ((ea & (size - 1)) !== 0) {
      this.stopWithFault('misaligned', pc, word, cycle, `a ${size}-byte access needs an address aligned to ${size}`, ea);
      return Stop.stopped;
    }
    if (!grant) return Stop.pending;
    const store = op === 65 /* stb */ || op === 66 /* sth */ || op === 67 /* stw */;
    const status = store ? this.bus.store(this.index, ea >>> 0, size, this.gpr[a]!) : this.bus.load(this.index, ea >>> 0, size);
    if (status !== Access.ok) {
      this.stopWithFault(status === Access.misaligned ? 'misaligned' : 'bad-address', pc, word, cycle, this.bus.refusedDetail, ea);
      return Stop.stopped;
    }
    if (!store) {
      const v = this.bus.loaded;
      this.gpr[a] = op === 63 /* lha */ ? (v << 16) >> 16 : v | 0;
    } else if (this.state !== CoreState.running) {
      // The store reached this core's own PPUControlRegister and put it in reset.
      return Stop.stopped;
    }
    return 0;
  }

  /** Fills the decode-cache entry of local word `i` from the table. */
  private fill(i: number, word: number): void {
    const s = this.slots;
    const known = decodeInto(word, s);
    this.cacheWord[i] = word;
    this.cacheOp[i] = known ? s.op : Op.illegal;
    this.cacheFlags[i] = s.flags;
    this.cacheA[i] = s.a;
    this.cacheB[i] = s.b;
    this.cacheC[i] = s.c;
    this.cacheD[i] = s.d;
  }

  private stopWithFault(reason: PPUFaultReason, pc: number, word: number, cycle: number, detail: string, address?: number): void {
    this.state = CoreState.faulted;
    this.pc = pc;
    this.cycle = cycle;
    this.fault = Object.freeze({
      ppu: this.index,
      reason,
      pc: pc >>> 0,
      instruction: word >>> 0,
      disassembly: disassembly(word),
      ...(address === undefined ? {} : { address: address >>> 0 }),
      cycle,
      detail,
    });
  }

  /** Scalars of the core's architected state (tests; the chip digest covers memory and registers). */
  snapshot(): Float64Array {
    return Float64Array.of(this.state, this.pc, this.cycle, this.cr, this.xer, this.lr, this.ctr, ...this.gpr);
  }
}

/** High 32 bits of the unsigned 64-bit product of two 32-bit values, in 16-bit pieces (exact in doubles). */
function mulhwu(x: number, y: number): number {
  const xl = x & 0xffff;
  const xh = x >>> 16;
  const yl = y & 0xffff;
  const yh = y >>> 16;
  const lo = xl * yl;
  const mid1 = xh * yl;
  const mid2 = xl * yh;
  const carry = ((lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (xh * yh + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}

