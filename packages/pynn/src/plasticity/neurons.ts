// Kernels acting on neurons (hardware.md §7, §11.1): the placed neurons a cell's rule is given, and online updates
// of neuron parameters during a run through the chip registers (pointer bit 31). A switch of the NeuronConfig or
// the backend acts at once; a CapMem cell approaches its new value with the settling of §3.8 (chip-sim: τ = 2 ms
// of chip time on a 1 ms grid, lola `nominal.capMemSettlingTau_us` / `capMemUpdatePeriod_us`), so a written
// leak potential shows only from the next grid point on, and fully some τ later.
import { AtomicNeuronOnDLS, NeuronColumnOnDLS, NeuronRowOnDLS } from '@bss2/halco';
import { AtomicNeuron, CapMemCell } from '@bss2/lola';
import { hxNeuronFields, hxSpecs } from '../cells.js';
import { describeValue } from '../describe.js';
import { PlasticityError } from './errors.js';
import type { AssemblyKernel } from './rule.js';

/** A neuron of a population as the PPUs see it: its population (label), index there, hemisphere (= PPU) and column. */
export interface PlacedNeuron {
  readonly population: string;
  readonly index: number;
  readonly hemisphere: number;
  readonly column: number;
}

/** One chip register write of an update: `word ← (word & ~mask) | bits` (mask all ones: the whole word). */
export interface NeuronRegisterWrite {
  /** Omnibus word address. */
  readonly address: number;
  readonly mask: number;
  readonly bits: number;
  /** A CapMem cell (its value settles, §3.8) rather than a digital switch (acts at once). */
  readonly capMem: boolean;
  readonly hemisphere: number;
}

type Container = { encode(): Uint32Array; constructor: { addresses(coord: unknown): readonly number[] } };

const FULL_MASK = 0xffff_ffff;
const CHIP_REGISTER_POINTER = 0x8000_0000;
const MAX_ALTERNATIVE_BITS = 16;

function encodedLeaves(coord: AtomicNeuronOnDLS, group: string, field: string, value: unknown): { address: number; word: number; capMem: boolean }[] {
  const neuron = new AtomicNeuron({ [group]: { [field]: value } } as never);
  return neuron.toLeaves(coord).flatMap(([c, leaf]) => {
    const container = leaf as unknown as Container;
    const addresses = container.constructor.addresses(c);
    const words = container.encode();
    return addresses.map((address, i) => ({ address, word: words[i]! >>> 0, capMem: leaf instanceof CapMemCell }));
  });
}

/**
 * The register writes that set HXNeuron parameter `name` (hardware.md §11.1 naming, e.g. `threshold_enable`,
 * `leak_v_leak`) to `value` on `neuron`: the bits the parameter occupies (found by encoding the AtomicNeuron
 * with the value and with alternatives), leaving every other bit of those words as the chip holds them.
 */
export function neuronRegisterWrites(neuron: PlacedNeuron, name: string, value: boolean | number): NeuronRegisterWrite[] {
  const fieldOf = hxNeuronFields.get(name);
  if (fieldOf === undefined) throw new PlasticityError(`neuron parameter update: '${name}' is not an HXNeuron parameter (e.g. threshold_enable, leak_v_leak, constant_current_enable)`, { parameter: name, value });
  const checked = hxSpecs[name]!.check(value);
  if (!checked.ok) throw new PlasticityError(`neuron parameter update: ${name} = ${describeValue(value)} is invalid: must be ${checked.rule}`, { parameter: name, value });
  const [group, field] = fieldOf;
  const coord = new AtomicNeuronOnDLS(new NeuronColumnOnDLS(neuron.column), new NeuronRowOnDLS(neuron.hemisphere));
  const alternatives: unknown[] = [];
  if (typeof checked.value === 'boolean') alternatives.push(!checked.value);
  else if (typeof checked.value === 'number') {
    for (const candidate of [0, ...Array.from({ length: MAX_ALTERNATIVE_BITS }, (_, k) => 2 ** k)]) if (candidate !== checked.value && hxSpecs[name]!.check(candidate).ok) alternatives.push(candidate);
  } else throw new PlasticityError(`neuron parameter update: ${name} takes a ${typeof checked.value} value; online updates write switches and CapMem cells only`, { parameter: name, value });
  const target = encodedLeaves(coord, group, field, checked.value);
  const masks = new Array<number>(target.length).fill(0);
  for (const alternative of alternatives) encodedLeaves(coord, group, field, alternative).forEach((w, i) => (masks[i] = (masks[i]! | (w.word ^ target[i]!.word)) >>> 0));
  const writes: NeuronRegisterWrite[] = [];
  target.forEach((w, i) => {
    if (masks[i] === 0) return;
    const mask = w.capMem ? FULL_MASK : masks[i]!;
    writes.push({ address: w.address, mask, bits: (w.word & mask) >>> 0, capMem: w.capMem, hemisphere: neuron.hemisphere });
  });
  return writes;
}

export interface NeuronParameterUpdateOptions {
  /** The neurons to change (a cell rule's `placement.neurons`, or some of them). */
  readonly neurons: readonly PlacedNeuron[];
  /**
   * The invocation (1 = the first) that writes; the kernel counts its invocations in its own memory, which a
   * rule without `sameId` gets afresh each run (so: per run), a rule with one keeps across runs.
   */
  readonly atInvocation: number;
  /** HXNeuron parameters and their new values: switches (NeuronConfig, backend) and CapMem cells. */
  readonly set: Readonly<Record<string, boolean | number>>;
  /** Names the kernel in errors (an identifier; default `neuron_update`). */
  readonly name?: string;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function load32(register: string, value: number): string[] {
  return [`    lis ${register}, ${hex(value >>> 16)}`, `    ori ${register}, ${register}, ${hex(value & 0xffff)}`];
}

/**
 * A PPU assembly kernel that writes HXNeuron parameters of `neurons` at one invocation (each PPU the neurons of
 * its own hemisphere): `new PlasticityRule({ timer, kernel: ({ neurons }) => neuronParameterKernel({ neurons,
 * atInvocation: 3, set: { threshold_enable: true } }) })` as a cell's `plasticity_rule`.
 */
export function neuronParameterKernel(options: NeuronParameterUpdateOptions): AssemblyKernel {
  const { neurons, atInvocation, set } = options ?? ({} as NeuronParameterUpdateOptions);
  const name = options?.name ?? 'neuron_update';
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PlasticityError(`neuronParameterKernel name ${describeValue(name)} must be an identifier`, { parameter: 'name', value: name });
  if (!Array.isArray(neurons) || neurons.length === 0) throw new PlasticityError(`neuronParameterKernel neurons ${describeValue(neurons)} must list placed neurons (a cell rule's placement.neurons)`, { parameter: 'neurons', value: neurons });
  if (!Number.isSafeInteger(atInvocation) || atInvocation < 1 || atInvocation > 0x7fff) {
    throw new PlasticityError(`neuronParameterKernel atInvocation ${describeValue(atInvocation)} must be an integer 1..32767 (1 = the first invocation)`, { parameter: 'atInvocation', value: atInvocation });
  }
  if (set === null || typeof set !== 'object' || Object.keys(set).length === 0) throw new PlasticityError(`neuronParameterKernel set ${describeValue(set)} must name at least one HXNeuron parameter`, { parameter: 'set', value: set });
  const writes = neurons.flatMap((n) => Object.entries(set).flatMap(([parameter, value]) => neuronRegisterWrites(n, parameter, value)));
  const perHemisphere = [0, 1].map((h) =>
    writes
      .filter((w) => w.hemisphere === h)
      .flatMap((w) => {
        const pointer = (CHIP_REGISTER_POINTER | (w.address << 2)) >>> 0;
        const lines = load32('r6', pointer);
        if (w.mask === FULL_MASK) lines.push(...load32('r7', w.bits));
        else lines.push('    lwz r7, 0(r6)', ...load32('r8', ~w.mask >>> 0), '    and r7, r7, r8', ...load32('r8', w.bits), '    or r7, r7, r8');
        lines.push('    stw r7, 0(r6)');
        return lines;
      }),
  );
  const source = [
    `# ${name}: HXNeuron parameters ${Object.keys(set).join(', ')} written at invocation ${atInvocation} (@bss2/pynn neuronParameterKernel)`,
    '    .data',
    '    .align 2',
    'npu_invocations:',
    '    .long 0',
    '    .text',
    '    .globl kernel',
    'kernel:',
    '    lis r4, npu_invocations@ha',
    '    lwz r5, npu_invocations@l(r4)',
    '    addi r5, r5, 1',
    '    stw r5, npu_invocations@l(r4)',
    `    cmpwi r5, ${atInvocation}`,
    '    bne npu_done',
    '    lis r4, __ppu_hemisphere@ha',
    '    lwz r4, __ppu_hemisphere@l(r4)',
    '    cmpwi r4, 0',
    '    bne npu_bottom',
    ...perHemisphere[0]!,
    '    b npu_done',
    'npu_bottom:',
    ...perHemisphere[1]!,
    'npu_done:',
    '    li r3, 0',
    '    blr',
    '',
  ].join('\n');
  return { name, source };
}
