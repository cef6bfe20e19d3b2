// The one program both PPUs hold for a graph's rules: every kernel linked with the runtime library behind a
// dispatcher that runs the kernels due at this start (a bit mask in the mailbox the host writes), so rules whose
// timers fire together run in one start (hardware.md §7: adjacent timers with equal period are merged).
import { PPUMemoryWordOnPPU, PPUOnDLS } from '@bss2/halco';
import { PPUMemoryBlock, PPUMemoryBlockOnDLS } from '@bss2/lola';
import { type ObjectModule, PpuError, type ProgramImage, assemble, compileRule, linkWithRuntime, resolveParams, runtimeWordsFor } from '@bss2/ppu';
import { PlasticityRuleError, type PlasticityRuleSpec } from './rules.js';

/** Kernels one program dispatches (one bit each of the due mask, in the `andi.` immediate). */
export const MAX_PLASTICITY_RULES = 16;
/** What the dispatcher leaves in the return-code word while kernels run: a core that stops without returning keeps it. */
export const RUNNING_SENTINEL = 0xffff_ffff;
/** Return codes: the failing kernel's index + 1 in the top byte, its own code (24 bit) below. */
export const RULE_INDEX_SHIFT = 24;
const VECTOR_BYTES = 128;

interface ObservableSlot {
  readonly name: string;
  readonly address: number;
  readonly bytes: number;
}

/** A rule's place in the program: its bit in the due mask, its parameter words, its observables. */
export interface ProgramRule {
  readonly spec: PlasticityRuleSpec;
  readonly bit: number;
  readonly observables: readonly ObservableSlot[];
  /** Mailbox words (byte address, value) of its parameters as the spec gives them. */
  paramWords(): { address: number; value: number }[];
}

export interface PlasticityProgram {
  /** Identifies the code: equal keys, equal programs. */
  readonly key: string;
  readonly image: ProgramImage;
  readonly rules: readonly ProgramRule[];
  /** Byte address of the due mask word. */
  readonly dueAddress: number;
  /** The image's words for PPU `ppu` as blocks to write (the hemisphere word set; parameters as the specs give them). */
  blocks(ppu: number): { coordinate: PPUMemoryBlockOnDLS; container: PPUMemoryBlock }[];
}

const dispatcherSource = (count: number): string => {
  const lines = [
    '# plasticity dispatcher (@bss2/execution): runs the kernels whose bit is set in plasticity_due',
    '    .text',
    '    .globl kernel',
    'kernel:',
    '    stwu r1, -16(r1)',
    '    mflr r0',
    '    stw r0, 20(r1)',
    `    lis r4, __return_code@ha`,
    '    li r0, -1',
    `    stw r0, __return_code@l(r4)`,
  ];
  for (let i = 0; i < count; i++) {
    // Compiled kernels use r14–r17 and r31 without saving them: the mask is reloaded from memory each time.
    lines.push(
      '    lis r4, plasticity_due@ha',
      '    lwz r4, plasticity_due@l(r4)',
      `    andi. r4, r4, ${1 << i}`,
      `    beq skip_${i}`,
      `    bl kernel_${i}`,
      '    cmpwi r3, 0',
      `    beq skip_${i}`,
      `    clrlwi r3, r3, ${32 - RULE_INDEX_SHIFT}`,
      `    lis r4, ${(i + 1) << (RULE_INDEX_SHIFT - 16)}`,
      '    or r3, r3, r4',
      '    b done',
      `skip_${i}:`,
    );
  }
  lines.push('    li r3, 0', 'done:', '    lwz r0, 20(r1)', '    mtlr r0', '    addi r1, r1, 16', '    blr', '    .section .mailbox', '    .globl plasticity_due', 'plasticity_due:', '    .long 0', '');
  return lines.join('\n');
};

/** `kernel` → `kernel_<i>` (and a compiled rule's global param / observable symbols made unique). */
function renamed(source: string, i: number): string {
  return source.replace(/\bkernel\b/g, `kernel_${i}`).replace(/\brule_(param|obs)_/g, `rule${i}_$1_`);
}

interface KernelPart {
  readonly source: string;
  readonly fileName: string;
}

function kernelPart(spec: PlasticityRuleSpec, i: number): KernelPart {
  const k = spec.kernel;
  if (k.kind === 'rule') return { source: renamed(compileRule(k.rule).source, i), fileName: `${k.rule.name}.s` };
  return { source: renamed(k.source, i), fileName: `${k.name}.s` };
}

const cache = new Map<string, PlasticityProgram>();
const CACHE_SIZE = 8;

/** The program for `specs` (rules in order; built once per distinct set of kernels). */
export function plasticityProgram(specs: readonly PlasticityRuleSpec[]): PlasticityProgram {
  if (specs.length > MAX_PLASTICITY_RULES) {
    throw new PlasticityRuleError(`the graph has ${specs.length} plasticity rules; the PPU program dispatches at most ${MAX_PLASTICITY_RULES}`, specs[MAX_PLASTICITY_RULES]!.name, { value: specs.length, limit: MAX_PLASTICITY_RULES });
  }
  let parts: KernelPart[];
  try {
    parts = specs.map(kernelPart);
  } catch (error) {
    throw wrap(error, specs.map((s) => s.name).join(', '));
  }
  const key = JSON.stringify(parts.map((p) => p.source));
  let program = cache.get(key);
  if (program === undefined) {
    program = build(specs, parts, key);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, program);
  }
  // Same code, other specs (parameters, observables read): the layout is the program's, the values the specs'.
  return program.rules.every((r, i) => r.spec === specs[i]) ? program : withSpecs(program, specs);
}

function wrap(error: unknown, rules: string): unknown {
  if (error instanceof PpuError) return new PlasticityRuleError(`plasticity rule(s) ${rules}: the kernel does not build: ${error.message}`, rules.split(', ')[0], { value: error.message });
  return error;
}

function build(specs: readonly PlasticityRuleSpec[], parts: readonly KernelPart[], key: string): PlasticityProgram {
  let image: ProgramImage;
  try {
    const objects: ObjectModule[] = [assemble(dispatcherSource(parts.length), { fileName: 'plasticity-dispatcher.s' })];
    parts.forEach((p, i) => {
      try {
        objects.push(assemble(p.source, { fileName: p.fileName }));
      } catch (error) {
        throw wrap(error, specs[i]!.name);
      }
    });
    image = linkWithRuntime(objects);
  } catch (error) {
    throw wrap(error, specs.map((s) => s.name).join(', '));
  }
  return withSpecs({ key, image, dueAddress: image.symbol('plasticity_due') }, specs);
}

function withSpecs(base: Pick<PlasticityProgram, 'key' | 'image' | 'dueAddress'>, specs: readonly PlasticityRuleSpec[]): PlasticityProgram {
  const { image } = base;
  const symbol = (name: string, rule: string): number => {
    try {
      return image.symbol(name);
    } catch {
      throw new PlasticityRuleError(`plasticity rule '${rule}': no global symbol '${name}' in its kernel`, rule, { value: name });
    }
  };
  const rules: ProgramRule[] = specs.map((spec, i) => {
    const k = spec.kernel;
    const all: ObservableSlot[] =
      k.kind === 'rule'
        ? k.rule.observables.map((o) => ({ name: o.name, address: symbol(`rule${i}_obs_${o.name}`, spec.name), bytes: o.vectors * VECTOR_BYTES }))
        : (k.observables ?? []).map((o) => ({ name: o.name, address: symbol(o.symbol, spec.name), bytes: o.bytes }));
    for (const name of spec.observe ?? []) {
      if (!all.some((o) => o.name === name)) {
        throw new PlasticityRuleError(`plasticity rule '${spec.name}' observes '${name}', which its kernel does not record (observables: ${all.map((o) => o.name).join(', ') || 'none'})`, spec.name, { value: name });
      }
    }
    const observables = spec.observe === undefined ? all : all.filter((o) => spec.observe!.includes(o.name));
    const paramWords = (): { address: number; value: number }[] => {
      if (k.kind === 'rule') {
        let values: number[];
        try {
          values = resolveParams(k.rule, spec.params ?? {});
        } catch (error) {
          throw new PlasticityRuleError(`plasticity rule '${spec.name}': ${(error as Error).message}`, spec.name, { value: spec.params });
        }
        return k.rule.params.map((p, j) => ({ address: symbol(`rule${i}_param_${p.name}`, spec.name), value: values[j]! >>> 0 }));
      }
      return Object.entries(spec.params ?? {}).map(([name, value]) => ({ address: symbol(name, spec.name), value: value >>> 0 }));
    };
    paramWords(); // checked now, not in the middle of building a program
    return { spec, bit: 1 << i, observables, paramWords };
  });
  const blocks = (ppu: number) => {
    const words = runtimeWordsFor(image, ppu);
    for (const r of rules) for (const p of r.paramWords()) words[p.address >>> 2] = p.value;
    return image.toPPUMemoryBlocks(new PPUOnDLS(ppu)).map(({ coordinate }) => {
      const first = coordinate.firstIndex;
      return { coordinate: new PPUMemoryBlockOnDLS(new PPUOnDLS(ppu), new PPUMemoryWordOnPPU(first), coordinate.length), container: new PPUMemoryBlock(words.subarray(first, first + coordinate.length)) };
    });
  };
  return { ...base, rules, blocks };
}
