// Compiles a rule's IR to PPU assembly, then assembles and links it with the runtime library. Register
// allocation is a linear scan over the program order with loop-aware lifetimes (a value defined outside a
// loop and used inside stays live to the loop's end); no spilling — a rule that needs more than the 32 vector
// registers at one point fails with RuleRegisterError.
import { assemble } from '../assembler/assembler.js';
import { PpuError } from '../errors.js';
import type { ProgramImage } from '../program-image.js';
import { linkWithRuntime, runtimeSymbols, runtimeWordsFor, vectorWindows } from '../runtime/runtime.js';
import { RuleCompileError, RuleRegisterError } from './errors.js';
import { resolveParams } from './interpret.js';
import { CompareBits, type Observable, type Rule, type RuleNode, type Scope, type ScopeItem } from './rule.js';

/** Vector registers of the PPU (all allocatable: the runtime routines a compiled rule calls use none). */
export const RULE_VECTOR_REGISTERS = 32;
const VECTOR_BYTES = 128;

/**
 * Scalar registers of compiled code (non-volatile, so runtime calls keep them): r14 the half's parity, r15 the
 * half-row index (row·2 + parity), r16 = 0 and r17 = −1 for mask splats, r31 the kernel's return address;
 * r10–r12 are scratch between instructions.
 */
const R = { parity: 'r14', index: 'r15', zero: 'r16', ones: 'r17', link: 'r31', scratch: 'r12', scratch2: 'r11' } as const;
/** Conditions of the `C` operand (after fxvcmpb / fxvcmph). */
const C = { gt: 1, lt: 2, eq: 3 } as const;

const hi16 = (window: number): string => `0x${(window >>> 16).toString(16)}`;

/** A compiled rule: assembly, program image, and the host's view of its mailbox parameters and observables. */
export interface CompiledRule {
  readonly rule: Rule;
  /** The kernel's assembly source (the runtime library is linked separately). */
  readonly source: string;
  readonly image: ProgramImage;
  /** Byte address of a parameter's mailbox word. */
  paramAddress(name: string): number;
  /** Byte address of an observable's first byte (16-byte aligned) in local memory. */
  observableAddress(name: string): number;
  /** The local memory words for PPU `ppu`: the image with the hemisphere word and parameter values set. */
  localWords(ppu: number, params?: Readonly<Record<string, number>>): Uint32Array;
  /** Observables read back from local memory words (e.g. what the host read from the PPU). */
  readObservables(words: ArrayLike<number>): Map<string, Uint8Array>;
  /** Vector registers the allocation used at most at one point. */
  readonly vectorRegistersUsed: number;
}

const paramSymbol = (name: string): string => `rule_param_${name}`;
const observableSymbol = (name: string): string => `rule_obs_${name}`;

interface Lifetimes {
  position: Map<ScopeItem, number>;
  loopEnd: Map<Scope, number>;
  lastUse: Map<number, number>;
}

/** Program positions of every item and loop end, and each value's last use (extended to loop ends). */
function lifetimes(rule: Rule): Lifetimes {
  const position = new Map<ScopeItem, number>();
  const loopEnd = new Map<Scope, number>();
  const defined = new Map<number, RuleNode>();
  const uses: { node: RuleNode; at: number; scope: Scope }[] = [];
  let next = 0;
  const walk = (scope: Scope): void => {
    for (const item of scope.items) {
      if (item.kind === 'loop') {
        walk(item.scope);
        loopEnd.set(item.scope, next++);
        continue;
      }
      const at = next++;
      position.set(item, at);
      const used = item.kind === 'node' ? item.node.args : item.kind === 'setWeights' ? [item.value, ...(item.where ? [item.where] : [])] : [item.value];
      for (const node of used) uses.push({ node, at, scope });
      if (item.kind === 'node') defined.set(item.node.id, item.node);
    }
  };
  walk(rule.root);
  const lastUse = new Map<number, number>();
  for (const item of position.keys()) if (item.kind === 'node') lastUse.set(item.node.id, position.get(item)!);
  for (const use of uses) {
    let at = use.at;
    if (use.scope !== use.node.scope) {
      // The loop directly inside the value's scope that contains the use: the value lives to its end.
      let s = use.scope;
      while (s.parent !== use.node.scope) s = s.parent!;
      at = loopEnd.get(s)!;
    }
    lastUse.set(use.node.id, Math.max(lastUse.get(use.node.id)!, at));
  }
  return { position, loopEnd, lastUse };
}

/** Compiles `rule` to a program image for the PPUs. */
export function compileRule(rule: Rule): CompiledRule {
  const { position, loopEnd, lastUse } = lifetimes(rule);
  const register = new Map<number, number>();
  const free: boolean[] = new Array<boolean>(RULE_VECTOR_REGISTERS).fill(true);
  const freeAt = new Map<number, number[]>();
  for (const [id, at] of lastUse) freeAt.set(at, [...(freeAt.get(at) ?? []), id]);
  let live = 0;
  let maxLive = 0;
  const lines: string[] = [];
  const emit = (line: string): void => {
    lines.push(`    ${line}`);
  };
  let labels = 0;

  const release = (at: number): void => {
    for (const id of freeAt.get(at) ?? []) {
      const r = register.get(id);
      if (r === undefined) continue;
      free[r] = true;
      live--;
    }
  };
  const allocate = (node: RuleNode): string => {
    const r = free.indexOf(true);
    if (r < 0) throw new RuleRegisterError(rule.name, node.label, live, RULE_VECTOR_REGISTERS);
    free[r] = false;
    live++;
    maxLive = Math.max(maxLive, live);
    register.set(node.id, r);
    return `v${r}`;
  };
  const reg = (node: RuleNode): string => `v${register.get(node.id)!}`;

  const emitNode = (node: RuleNode, scope: Scope): void => {
    const w = node.width === 16 ? 'h' : 'b';
    const args = node.args.map(reg);
    const d = allocate(node);
    const op = node.operation;
    const rowIndex = scope.kind === 'row' ? R.index : undefined;
    const window = (base: number, index: string): void => {
      emit(`lis ${R.scratch}, ${hi16(base)}`);
      emit(`fxvinx ${d}, ${R.scratch}, ${index}`);
    };
    switch (op.op) {
      case 'const': {
        const bits = node.width === 16 ? 0xffff : 0xff;
        const low = op.value & bits;
        const signed = node.width === 16 ? (low << 16) >> 16 : low;
        emit(`li ${R.scratch}, ${signed}`);
        emit(`fxvsplat${w} ${d}, ${R.scratch}`);
        break;
      }
      case 'param': {
        const symbol = paramSymbol(rule.params[op.param]!.name);
        emit(`lis ${R.scratch}, ${symbol}@ha`);
        emit(`lwz ${R.scratch}, ${symbol}@l(${R.scratch})`);
        emit(`fxvsplat${w} ${d}, ${R.scratch}`);
        break;
      }
      case 'weights':
        emit(`fxvinx ${d}, 0, ${rowIndex!}`);
        break;
      case 'causal':
        window(op.reset ? vectorWindows.causalReset : vectorWindows.causal, rowIndex!);
        break;
      case 'acausal':
        window(op.reset ? vectorWindows.acausalReset : vectorWindows.acausal, rowIndex!);
        break;
      case 'acausalOfConversion':
        window(vectorWindows.acausal | vectorWindows.buffered, rowIndex!);
        break;
      case 'resetCorrelation':
        window(vectorWindows.causalReset, rowIndex!);
        break;
      case 'cadcCausal':
        // Row 0 of this half: index = parity.
        window(vectorWindows.causal, R.parity);
        break;
      case 'cadcAcausal':
        window(vectorWindows.acausal | vectorWindows.buffered, R.parity);
        break;
      case 'rates':
        emit(`lis r3, ${runtimeSymbols.scratch}@ha`);
        emit(`addi r3, r3, ${runtimeSymbols.scratch}@l`);
        emit(`li r4, ${op.reset ? 1 : 0}`);
        emit(`mr r5, ${R.parity}`);
        emit('bl get_rate_counters_half');
        emit(`lis ${R.scratch}, ${runtimeSymbols.scratch}@ha`);
        emit(`addi ${R.scratch}, ${R.scratch}, ${runtimeSymbols.scratch}@l`);
        emit(`fxvlax ${d}, 0, ${R.scratch}`);
        break;
      case 'add':
      case 'sub':
      case 'mul':
        emit(`fxv${op.op}${w}${op.mode === 'saturate' ? 'fs' : 'm'} ${d}, ${args[0]!}, ${args[1]!}`);
        break;
      case 'mac':
        emit(`fxvmtac${w} ${args[2]!}`);
        emit(`fxvma${w}${op.mode === 'saturate' ? 'fs' : 'm'} ${d}, ${args[0]!}, ${args[1]!}`);
        break;
      case 'shift':
        emit(`fxvsh${w} ${d}, ${args[0]!}, ${op.amount}`);
        break;
      case 'min':
      case 'max':
        emit(`fxvsub${w}fs ${d}, ${args[0]!}, ${args[1]!}`);
        emit(`fxvcmp${w} ${d}`);
        // min: a − b > 0 ? b : a; max: a − b > 0 ? a : b
        if (op.op === 'min') emit(`fxvsel ${d}, ${args[1]!}, ${args[0]!}, ${C.gt}`);
        else emit(`fxvsel ${d}, ${args[0]!}, ${args[1]!}, ${C.gt}`);
        break;
      case 'compare': {
        emit(`fxvsub${w}fs ${d}, ${args[0]!}, ${args[1]!}`);
        emit(`fxvcmp${w} ${d}`);
        const outcomes = [
          [CompareBits.gt, C.gt],
          [CompareBits.lt, C.lt],
          [CompareBits.eq, C.eq],
        ] as const;
        const inSet = outcomes.filter(([bit]) => (op.outcomes & bit) !== 0);
        if (inSet.length === 1) {
          emit(`fxvsplat${w} ${d}, ${R.zero}`);
          emit(`fxvsplat${w} ${d}, ${R.ones}, ${inSet[0]![1]}`);
        } else {
          const missing = outcomes.find(([bit]) => (op.outcomes & bit) === 0)!;
          emit(`fxvsplat${w} ${d}, ${R.ones}`);
          emit(`fxvsplat${w} ${d}, ${R.zero}, ${missing[1]}`);
        }
        break;
      }
      case 'select':
        emit(`fxvcmp${w} ${args[0]!}`);
        emit(`fxvsel ${d}, ${args[1]!}, ${args[2]!}, ${C.lt}`);
        break;
      case 'not':
        emit(`fxvcmp${w} ${args[0]!}`);
        emit(`fxvsplat${w} ${d}, ${R.ones}`);
        emit(`fxvsplat${w} ${d}, ${R.zero}, ${C.lt}`);
        break;
      case 'and':
        emit(`fxvcmp${w} ${args[0]!}`);
        emit(`fxvsplat${w} ${d}, ${R.zero}`);
        emit(`fxvsel ${d}, ${args[1]!}, ${d}, ${C.lt}`);
        break;
      case 'or':
        emit(`fxvcmp${w} ${args[0]!}`);
        emit(`fxvsplat${w} ${d}, ${R.ones}`);
        emit(`fxvsel ${d}, ${d}, ${args[1]!}, ${C.lt}`);
        break;
      case 'widen': {
        const unpack = op.half === 'high' ? 'fxvupckbr' : 'fxvupckbl';
        emit(`fxvsplatb ${d}, ${R.zero}`);
        if (op.how === 'fractional') emit(`${unpack} ${d}, ${args[0]!}, ${d}`);
        else emit(`${unpack} ${d}, ${d}, ${args[0]!}`);
        break;
      }
      case 'narrow':
        emit(`${op.byte === 'high' ? 'fxvpckbu' : 'fxvpckbl'} ${d}, ${args[0]!}, ${args[1]!}`);
        break;
    }
  };

  const observeOffset = (scope: Scope): void => {
    if (scope.kind === 'kernel') emit(`li ${R.scratch}, 0`);
    else if (scope.kind === 'half') emit(`slwi ${R.scratch}, ${R.parity}, 7`);
    else {
      emit(`addi ${R.scratch}, ${R.index}, ${-2 * scope.rows!.from}`);
      emit(`slwi ${R.scratch}, ${R.scratch}, 7`);
    }
  };

  const walk = (scope: Scope): void => {
    for (const item of scope.items) {
      switch (item.kind) {
        case 'node':
          emitNode(item.node, scope);
          break;
        case 'setWeights':
          if (item.where === undefined) emit(`fxvoutx ${reg(item.value)}, 0, ${R.index}`);
          else {
            emit(`fxvcmpb ${reg(item.where)}`);
            emit(`fxvoutx ${reg(item.value)}, 0, ${R.index}, ${C.lt}`);
          }
          break;
        case 'observe': {
          const symbol = observableSymbol(item.observable.name);
          observeOffset(scope);
          emit(`lis ${R.scratch2}, ${symbol}@ha`);
          emit(`addi ${R.scratch2}, ${R.scratch2}, ${symbol}@l`);
          emit(`fxvstax ${reg(item.value)}, ${R.scratch2}, ${R.scratch}`);
          break;
        }
        case 'loop': {
          const label = `rule_loop_${labels++}`;
          if (item.scope.kind === 'half') {
            lines.push(`# halves: parity 0 (even columns), 1 (odd columns)`);
            emit(`li ${R.parity}, 0`);
            lines.push(`${label}:`);
            walk(item.scope);
            emit(`addi ${R.parity}, ${R.parity}, 1`);
            emit(`cmpwi ${R.parity}, 2`);
            emit(`blt ${label}`);
          } else {
            const { from, to } = item.scope.rows!;
            lines.push(`# rows ${from}..${to}: index = row·2 + parity`);
            emit(`addi ${R.index}, ${R.parity}, ${2 * from}`);
            lines.push(`${label}:`);
            walk(item.scope);
            emit(`addi ${R.index}, ${R.index}, 2`);
            emit(`cmpwi ${R.index}, ${2 * to + 1}`);
            emit(`ble ${label}`);
          }
          release(loopEnd.get(item.scope)!);
          continue;
        }
      }
      release(position.get(item)!);
    }
  };

  lines.push(`# rule '${rule.name}' (compiled by @bss2/ppu compileRule)`, '    .text', '    .globl kernel', 'kernel:');
  emit(`mflr ${R.link}`);
  emit(`li ${R.zero}, 0`);
  emit(`li ${R.ones}, -1`);
  emit(`li ${R.parity}, 0`);
  walk(rule.root);
  emit('li r3, 0');
  emit(`mtlr ${R.link}`);
  emit('blr');
  if (rule.observables.length > 0) {
    lines.push('    .data');
    for (const o of rule.observables) {
      lines.push('    .align 4', `    .globl ${observableSymbol(o.name)}`, `${observableSymbol(o.name)}:`, `    .space ${o.vectors * VECTOR_BYTES}`);
    }
  }
  if (rule.params.length > 0) {
    lines.push('    .section .mailbox');
    for (const p of rule.params) lines.push(`    .globl ${paramSymbol(p.name)}`, `${paramSymbol(p.name)}:`, `    .long ${p.default >>> 0}`);
  }
  const source = `${lines.join('\n')}\n`;

  let image: ProgramImage;
  try {
    image = linkWithRuntime([assemble(source, { fileName: `${rule.name}.s` })]);
  } catch (error) {
    if (error instanceof PpuError) {
      const bytes = rule.observables.reduce((n, o) => n + o.vectors * VECTOR_BYTES, 0);
      throw new RuleCompileError(rule.name, `does not fit the PPU (${bytes} bytes of observables): ${error.message}`, { cause: error });
    }
    throw error;
  }
  const observable = (name: string): Observable => {
    const o = rule.observables.find((x) => x.name === name);
    if (o === undefined) throw new RuleCompileError(rule.name, `no observable '${name}' (observables: ${rule.observables.map((x) => x.name).join(', ') || 'none'})`);
    return o;
  };
  const paramAddress = (name: string): number => {
    if (!rule.params.some((p) => p.name === name)) throw new RuleCompileError(rule.name, `no param '${name}' (params: ${rule.params.map((p) => p.name).join(', ') || 'none'})`);
    return image.symbol(paramSymbol(name));
  };
  return {
    rule,
    source,
    image,
    vectorRegistersUsed: maxLive,
    paramAddress,
    observableAddress: (name) => image.symbol(observableSymbol(observable(name).name)),
    localWords(ppu, params = {}) {
      const values = resolveParams(rule, params);
      const words = runtimeWordsFor(image, ppu);
      rule.params.forEach((p, i) => {
        words[image.symbol(paramSymbol(p.name)) >>> 2] = values[i]! >>> 0;
      });
      return words;
    },
    readObservables(words) {
      const out = new Map<string, Uint8Array>();
      for (const o of rule.observables) {
        const base = image.symbol(observableSymbol(o.name));
        const bytes = new Uint8Array(o.vectors * VECTOR_BYTES);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (words[(base + i) >>> 2]! >>> (24 - 8 * ((base + i) & 3))) & 0xff;
        out.set(o.name, bytes);
      }
      return out;
    },
  };
}
