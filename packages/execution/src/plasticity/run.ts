// How a run drives the PPUs (hardware.md §7, §3.10): the program written through PPUMemoryBlock writes when the
// PPUs do not hold it (or a rule keeps no state), parameters into the mailbox, and at each timer tick inside the
// real-time section a start of both cores (PPUControlRegister: hold, then run — clearing inhibit_reset starts a
// core at address 0). The host reads each invocation's status, return code and observables before the next start
// and after the run, holds both cores, and reads back the plastic projections' weights.
import {
  CADCConfigOnDLS,
  ColumnCorrelationQuadOnDLS,
  PPUControlRegisterOnDLS,
  PPUMemoryWordOnDLS,
  PPUMemoryWordOnPPU,
  PPUOnDLS,
  PPUStatusRegisterOnDLS,
  SynapseRowOnDLS,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { CADCConfig, ColumnCorrelationQuad, PPUControlRegister, PPUMemoryBlock, PPUMemoryBlockOnDLS, PPUMemoryWord, PPUStatusRegister, SynapseRow } from '@bss2/lola';
import type { RoutingResult } from '@bss2/routing';
import type { ContainerTicket, PlaybackProgramBuilder } from '@bss2/stadls';
import { cyclesToUs, usToCycles } from '../timing.js';
import { type PlasticityProgram, type ProgramRule, RULE_INDEX_SHIFT, RUNNING_SENTINEL, plasticityProgram } from './program.js';
import { type PlasticityFailure, type PlasticityResult, type PlasticityRuleSpec, type PpuInvocation, type RuleInvocation, checkPlasticityRules } from './rules.js';

const PPUS = [0, 1] as const;
const RETURN_CODE_WORD = 3071;
const HOLD = new PPUControlRegister({ inhibitReset: true });
const RUN = new PPUControlRegister({ inhibitReset: false });
const control = PPUS.map((p) => new PPUControlRegisterOnDLS(p));
const status = PPUS.map((p) => new PPUStatusRegisterOnDLS(p));
const returnCodeWord = PPUS.map((p) => new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(RETURN_CODE_WORD), new PPUOnDLS(p)));
/** Every column's CADC channels on its correlation sensors (causal, acausal): what the correlation windows convert. */
const CORRELATION_SWITCHES = new ColumnCorrelationQuad({ enableInternalCausal: [true, true, true, true], enableInternalAcausal: [true, true, true, true] });
const CORRELATION_WRITES = 2 + ColumnCorrelationQuadOnDLS.size;

/** One timed command of the real-time section (one instruction), as the executor's input schedule merges them. */
export interface TimedCommand {
  readonly cycle: number;
  emit(builder: PlaybackProgramBuilder, at: number): void;
}

/** The rules of a graph, checked and linked (per prepare). */
export interface PreparedPlasticity {
  readonly program: PlasticityProgram;
  /** Read back after each run: per projection its connections' synapses. */
  readonly readback: readonly { readonly projection: string; readonly synapses: readonly (readonly { row: number; hemisphere: number; column: number }[])[] }[];
  /** Whether the PPUs' memory carries over between runs (every rule has a sameId). */
  readonly keepsState: boolean;
  /** Identifies program and rule ids: a different one rewrites the memory. */
  readonly stateKey: string;
}

/** Checks and links the graph's rules; `routing` gives the plastic projections' synapses. */
export function preparePlasticity(rules: readonly PlasticityRuleSpec[] | undefined, routing: RoutingResult): PreparedPlasticity | undefined {
  if (rules === undefined || rules.length === 0) return undefined;
  checkPlasticityRules(rules, new Set(routing.network.projections.map((p) => p.name)));
  const program = plasticityProgram(rules);
  const names = [...new Set(rules.flatMap((r) => r.projections ?? []))];
  const readback = names.map((projection) => ({
    projection,
    synapses: routing.placedConnections(projection).map((c) => c.synapses.map((s) => ({ row: s.row.value, hemisphere: s.hemisphere.value, column: s.column.value }))),
  }));
  const keepsState = rules.every((r) => r.sameId !== undefined);
  return { program, readback, keepsState, stateKey: JSON.stringify([program.key, rules.map((r) => r.sameId ?? null)]) };
}

/** What the executor knows of the PPUs between runs. */
export class PlasticityChipState {
  /** The state key of the program the PPUs hold, and the parameter words written; undefined: unknown. */
  #held: { key: string; params: Map<number, number> } | undefined;
  /** Whether both cores are known to be held in reset. */
  #halted = false;
  /** Whether the CADCs are known to convert the correlation sensors. */
  #correlation = false;

  forget(): void {
    this.#held = undefined;
    this.#halted = false;
    this.#correlation = false;
  }

  /** The plan of one run of `prepared` from `start_us` to `end_us` (µs of segment time). */
  begin(prepared: PreparedPlasticity, start_us: number, end_us: number, cadcRecording: boolean): PlasticityRunPlan {
    const { program } = prepared;
    const rewrite = !prepared.keepsState || this.#held?.key !== prepared.stateKey;
    const params = new Map<number, number>();
    for (const r of program.rules) for (const p of r.paramWords()) params.set(p.address, p.value);
    const changedParams = rewrite ? [] : [...params].filter(([address, value]) => this.#held!.params.get(address) !== value);
    const holdFirst = !this.#halted;
    const blocks = rewrite ? PPUS.map((p) => program.blocks(p)) : [];
    // A CADC recording connects the columns to the neurons (README, "Plasticity": its correlation reads then see membranes).
    const correlation = !cadcRecording && !this.#correlation;
    this.#correlation = !cadcRecording;
    const configWords = (correlation ? CORRELATION_WRITES : 0) + (holdFirst ? 2 : 0) + blocks.reduce((n, b) => n + b.reduce((m, x) => m + x.container.size, 0), 0) + 2 * changedParams.length;
    return new PlasticityRunPlan(this, prepared, { start_us, end_us, holdFirst, correlation, blocks, changedParams, params, configWords });
  }

  /** @internal */
  record(key: string, params: Map<number, number>, halted: boolean): void {
    this.#held = { key, params };
    this.#halted = halted;
  }
}

interface PlanInputs {
  readonly start_us: number;
  readonly end_us: number;
  readonly holdFirst: boolean;
  readonly correlation: boolean;
  readonly blocks: readonly { coordinate: PPUMemoryBlockOnDLS; container: PPUMemoryBlock }[][];
  readonly changedParams: readonly [number, number][];
  readonly params: Map<number, number>;
  readonly configWords: number;
}

type InvocationReads = {
  readonly ruleIndices: readonly number[];
  time_us: number;
  readonly status: ContainerTicket<PPUStatusRegister>[];
  readonly returnCode: ContainerTicket<PPUMemoryWord>[];
  /** Per PPU, per rule index: per observable its block ticket. */
  readonly observables: Map<number, ContainerTicket<PPUMemoryBlock>[]>[];
};

/** The PPU part of one run's program; built in the order the executor calls it. */
export class PlasticityRunPlan {
  readonly #state: PlasticityChipState;
  readonly #prepared: PreparedPlasticity;
  readonly #in: PlanInputs;
  readonly #invocations: InvocationReads[] = [];
  #weightReads: Map<string, ContainerTicket<SynapseRow>> | undefined;

  constructor(state: PlasticityChipState, prepared: PreparedPlasticity, inputs: PlanInputs) {
    this.#state = state;
    this.#prepared = prepared;
    this.#in = inputs;
  }

  /** Words written before the real-time section (a continuing run's budget counts them). */
  get configWords(): number {
    return this.#in.configWords;
  }

  /** Configuration phase: cores held, the program or the changed parameters written. */
  configure(builder: PlaybackProgramBuilder): void {
    const { holdFirst, correlation, blocks, changedParams } = this.#in;
    if (correlation) {
      for (const synram of PPUS) builder.write(new CADCConfigOnDLS(synram), new CADCConfig({ enable: true }));
      for (let q = 0; q < ColumnCorrelationQuadOnDLS.size; q++) builder.write(new ColumnCorrelationQuadOnDLS(q), CORRELATION_SWITCHES);
    }
    if (holdFirst) for (const p of PPUS) builder.write(control[p]!, HOLD);
    for (const ppuBlocks of blocks) for (const b of ppuBlocks) builder.write(b.coordinate, b.container);
    for (const [address, value] of changedParams) {
      for (const p of PPUS) builder.write(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(address >>> 2), new PPUOnDLS(p)), new PPUMemoryWord({ value }));
    }
  }

  /**
   * The timed starts of the run (cycles from the run's start; `origin` is its first timer value): for each
   * tick, the reads of the previous invocation, the due mask when it changes, hold and run of both cores.
   */
  commands(origin: number): TimedCommand[] {
    const { start_us, end_us } = this.#in;
    const rules = this.#prepared.program.rules;
    const ticks = new Map<number, number[]>();
    rules.forEach((r, i) => {
      const { start_us: t0, period_us, numPeriods } = r.spec.timer;
      const first = period_us > 0 ? Math.max(0, Math.ceil((start_us - t0) / period_us - 1e-9)) : 0;
      for (let k = first; k < numPeriods; k++) {
        const t = t0 + k * period_us;
        if (t >= end_us) break;
        if (t < start_us) continue;
        const cycle = usToCycles(t - start_us);
        const list = ticks.get(cycle);
        if (list === undefined) ticks.set(cycle, [i]);
        else list.push(i);
      }
    });
    const out: TimedCommand[] = [];
    const one = (cycle: number, emit: (b: PlaybackProgramBuilder, at: number) => void) => out.push({ cycle, emit });
    let written = -1;
    let previous: InvocationReads | undefined;
    const dueAddress = this.#prepared.program.dueAddress;
    for (const cycle of [...ticks.keys()].sort((a, b) => a - b)) {
      const ruleIndices = ticks.get(cycle)!;
      if (previous !== undefined) {
        const reads = previous;
        for (const c of this.#readCommands(reads)) one(cycle, c);
        for (const p of PPUS) one(cycle, (b) => b.write(control[p]!, HOLD));
      }
      const mask = ruleIndices.reduce((m, i) => m | rules[i]!.bit, 0);
      if (mask !== written) {
        for (const p of PPUS) one(cycle, (b) => b.write(new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(dueAddress >>> 2), new PPUOnDLS(p)), new PPUMemoryWord({ value: mask })));
        written = mask;
      }
      const invocation: InvocationReads = { ruleIndices, time_us: 0, status: [], returnCode: [], observables: [new Map(), new Map()] };
      one(cycle, (b, at) => {
        invocation.time_us = start_us + cyclesToUs(at - origin);
        b.write(control[0]!, RUN);
      });
      one(cycle, (b) => b.write(control[1]!, RUN));
      this.#invocations.push(invocation);
      previous = invocation;
    }
    return out;
  }

  /** One-instruction-ish read commands of an invocation (observable blocks are one command each). */
  #readCommands(reads: InvocationReads): ((b: PlaybackProgramBuilder) => void)[] {
    const rules = this.#prepared.program.rules;
    const out: ((b: PlaybackProgramBuilder) => void)[] = [];
    for (const p of PPUS) {
      out.push((b) => void reads.status.push(b.read(status[p]!, PPUStatusRegister) as ContainerTicket<PPUStatusRegister>));
      out.push((b) => void reads.returnCode.push(b.read(returnCodeWord[p]!, PPUMemoryWord) as ContainerTicket<PPUMemoryWord>));
      for (const i of reads.ruleIndices) {
        for (const o of rules[i]!.observables) {
          out.push((b) => {
            const coordinate = new PPUMemoryBlockOnDLS(new PPUOnDLS(p), new PPUMemoryWordOnPPU(o.address >>> 2), Math.ceil(o.bytes / 4));
            const list = reads.observables[p]!.get(i) ?? [];
            list.push(b.read(coordinate, PPUMemoryBlock) as ContainerTicket<PPUMemoryBlock>);
            reads.observables[p]!.set(i, list);
          });
        }
      }
    }
    return out;
  }

  /** After the run's drain: the last invocation's reads, both cores held, the plastic rows read. Returns the decoder. */
  finish(builder: PlaybackProgramBuilder): () => PlasticityResult {
    const last = this.#invocations[this.#invocations.length - 1];
    if (last !== undefined) for (const c of this.#readCommands(last)) c(builder);
    for (const p of PPUS) builder.write(control[p]!, HOLD);
    const rows = new Map<string, ContainerTicket<SynapseRow>>();
    for (const { synapses } of this.#prepared.readback) {
      for (const list of synapses) {
        for (const s of list) {
          const key = `${s.hemisphere}:${s.row}`;
          if (!rows.has(key)) rows.set(key, builder.read(new SynapseRowOnDLS(new SynapseRowOnSynram(s.row), new SynramOnDLS(s.hemisphere)), SynapseRow) as ContainerTicket<SynapseRow>);
        }
      }
    }
    this.#weightReads = rows;
    const prepared = this.#prepared;
    this.#state.record(prepared.stateKey, this.#in.params, true);
    return () => this.#decode();
  }

  #decode(): PlasticityResult {
    const rules = this.#prepared.program.rules;
    const perRule = new Map<string, RuleInvocation[]>(rules.map((r) => [r.spec.name, []]));
    const failures: PlasticityFailure[] = [];
    for (const inv of this.#invocations) {
      const ppu = PPUS.map((p) => ({ sleep: inv.status[p]!.get().sleep, code: inv.returnCode[p]!.get().value >>> 0 }));
      PPUS.forEach((p) => {
        const { sleep, code } = ppu[p]!;
        const due = inv.ruleIndices.map((i) => rules[i]!);
        if (!sleep) failures.push(failure(due[0]!, p, 'overrun', undefined, inv.time_us));
        else if (code === RUNNING_SENTINEL) failures.push(failure(due[0]!, p, 'fault', undefined, inv.time_us));
        else if (code !== 0) {
          const index = (code >>> RULE_INDEX_SHIFT) - 1;
          failures.push(failure(rules[index] ?? due[0]!, p, 'error', code & ((1 << RULE_INDEX_SHIFT) - 1), inv.time_us));
        }
      });
      for (const i of inv.ruleIndices) {
        const rule = rules[i]!;
        const per = PPUS.map((p): PpuInvocation => {
          const tickets = inv.observables[p]!.get(i) ?? [];
          const observables = new Map<string, Uint8Array>();
          rule.observables.forEach((o, k) => observables.set(o.name, bytesOf(tickets[k]!.get().words(), o.bytes)));
          const code = ppu[p]!.code;
          return { returnCode: code === RUNNING_SENTINEL ? -1 : code, observables };
        });
        perRule.get(rule.spec.name)!.push({ time_us: inv.time_us, ppu: [per[0]!, per[1]!] });
      }
    }
    const rows = new Map<string, SynapseRow>();
    for (const [key, ticket] of this.#weightReads ?? []) rows.set(key, ticket.get());
    const weights = new Map<string, number[]>();
    for (const { projection, synapses } of this.#prepared.readback) {
      weights.set(
        projection,
        synapses.map((list) => list.reduce((sum, s) => sum + rows.get(`${s.hemisphere}:${s.row}`)!.weights[s.column]!, 0)),
      );
    }
    return { rules: perRule, weights, failures };
  }
}

function failure(rule: ProgramRule, ppu: number, kind: PlasticityFailure['kind'], returnCode: number | undefined, time_us: number): PlasticityFailure {
  return { rule: rule.spec.name, ppu, kind, returnCode, time_us };
}

/** The first `bytes` big-endian bytes of `words` (byte 4·i is the top byte of word i). */
function bytesOf(words: Uint32Array, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (words[i >>> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
  return out;
}
