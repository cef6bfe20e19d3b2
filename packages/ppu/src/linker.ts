// Linker: places the sections of one or more objects into a PPU's 16 KiB local memory (code from address 0,
// data after it, the stack below the return-code word, the mailbox in words 3072..4095; hardware.md §7) and
// optionally into the FPGA's external memory, resolves symbols and applies relocations.
import { PPUMemoryWordOnPPU } from '@bss2/halco';
import { LinkError } from './errors.js';
import { ppuAddressWindows } from './isa/cycles.js';
import { describeRange, fitsOperand, insertOperand } from './isa/operands.js';
import type { ObjectModule, ObjectSection, Relocation } from './object.js';

const BYTES_PER_WORD = 4;
/** hardware.md §7: word 3071 holds the return code, words 3072..4095 are the mailbox. */
export const localMemoryLayout = Object.freeze({
  size_bytes: PPUMemoryWordOnPPU.size * BYTES_PER_WORD,
  returnCode_address: PPUMemoryWordOnPPU.returnCode.value * BYTES_PER_WORD,
  mailbox_address: PPUMemoryWordOnPPU.mailboxBegin.value * BYTES_PER_WORD,
  mailbox_bytes: (PPUMemoryWordOnPPU.size - PPUMemoryWordOnPPU.mailboxBegin.value) * BYTES_PER_WORD,
});

/** Where a section goes, by its name. */
export type Region = 'code' | 'data' | 'mailbox' | 'sram-code' | 'sram-data' | 'dram-code' | 'dram-data';

/** The region of a section name (`.text*`, `.data*`/`.rodata*`/`.bss*`/`.sdata*`/`.sbss*`, `.mailbox`, `.ext.*`, `.ext_dram.*`). */
export function regionOf(sectionName: string): Region | undefined {
  const is = (prefix: string): boolean => sectionName === prefix || sectionName.startsWith(`${prefix}.`);
  if (is('.ext.text')) return 'sram-code';
  if (is('.ext.data') || is('.ext.rodata') || is('.ext.bss')) return 'sram-data';
  if (is('.ext_dram.text')) return 'dram-code';
  if (is('.ext_dram.data') || is('.ext_dram.rodata') || is('.ext_dram.bss')) return 'dram-data';
  if (sectionName === '.mailbox') return 'mailbox';
  if (is('.text')) return 'code';
  if (['.data', '.rodata', '.bss', '.sdata', '.sbss'].some(is)) return 'data';
  return undefined;
}

export interface LinkOptions {
  /** Bytes reserved for the stack below the return-code word (default 2048); code and data must end below it. */
  readonly stackSize_bytes?: number;
}

/** A section as placed. */
export interface PlacedSection {
  readonly object: string;
  readonly name: string;
  readonly region: Region;
  /** Address in the PPU's address space (external sections: in their instruction or data window). */
  readonly address: number;
  readonly size_bytes: number;
  readonly bytes: Uint8Array;
}

/** The result of linking: placed, relocated sections and the symbol table. */
export interface LinkedProgram {
  readonly sections: readonly PlacedSection[];
  /** Global symbols and the linker's own (`__stack_top`, `__stack_bottom`, `__return_code`, `__mailbox`, `__mailbox_end`), by address. */
  readonly symbols: ReadonlyMap<string, number>;
  /** [begin, end) byte ranges of the local memory regions. */
  readonly layout: {
    readonly code: readonly [number, number];
    readonly data: readonly [number, number];
    readonly stack: readonly [number, number];
    readonly mailbox: readonly [number, number];
  };
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Links `objects` into one program for a PPU. */
export function link(objects: readonly ObjectModule[], options: LinkOptions = {}): LinkedProgram {
  const stackSize = options.stackSize_bytes ?? 2048;
  const stackTop = Math.floor(localMemoryLayout.returnCode_address / 16) * 16; // 16-byte aligned, as the ABI wants
  if (!Number.isInteger(stackSize) || stackSize < 0 || stackSize > stackTop || stackSize % 16 !== 0) {
    throw new LinkError(`stackSize_bytes = ${stackSize} must be a multiple of 16 in 0..${stackTop}`);
  }
  const stackBottom = stackTop - stackSize;

  // ---- placement -------------------------------------------------------------------------------------------
  const placed: (PlacedSection & { readonly source: ObjectSection; readonly objectIndex: number })[] = [];
  const cursor: Record<Region, number> = { code: 0, data: 0, mailbox: localMemoryLayout.mailbox_address, 'sram-code': 0, 'sram-data': 0, 'dram-code': 0, 'dram-data': 0 };
  const regionOfSection = new Map<ObjectSection, Region>();
  for (const object of objects) {
    for (const section of object.sections) {
      const region = regionOf(section.name);
      if (region === undefined) throw new LinkError(`${object.name}: section '${section.name}' has no place in PPU memory (use .text*, .data*, .rodata*, .bss*, .mailbox, .ext.* or .ext_dram.*)`);
      regionOfSection.set(section, region);
    }
  }
  const order: Region[] = ['code', 'data', 'mailbox', 'sram-code', 'sram-data', 'dram-code', 'dram-data'];
  for (const region of order) {
    if (region === 'data') cursor.data = alignUp(cursor.code, 16);
    // External code and data share one memory: data follows code in the same byte space.
    if (region === 'sram-data') cursor['sram-data'] = alignUp(cursor['sram-code'], 16);
    if (region === 'dram-data') cursor['dram-data'] = alignUp(cursor['dram-code'], 16);
    objects.forEach((object, objectIndex) => {
      for (const section of object.sections) {
        if (regionOfSection.get(section) !== region) continue;
        const offset = alignUp(cursor[region], section.alignment_bytes);
        cursor[region] = offset + section.bytes.length;
        const window = region === 'sram-code' ? ppuAddressWindows.sramInstruction : region === 'sram-data' ? ppuAddressWindows.sramData : region === 'dram-code' ? ppuAddressWindows.dramInstruction : region === 'dram-data' ? ppuAddressWindows.dramData : undefined;
        const address = window === undefined ? offset : window.begin + offset;
        placed.push({ object: object.name, name: section.name, region, address, size_bytes: section.bytes.length, bytes: section.bytes.slice(), source: section, objectIndex });
      }
    });
  }

  // ---- size checks -----------------------------------------------------------------------------------------
  const localEnd = Math.max(cursor.code, cursor.data);
  if (localEnd > stackBottom) {
    const culprit = placed.filter((p) => p.region === 'code' || p.region === 'data').find((p) => p.address + p.size_bytes > stackBottom)!;
    throw new LinkError(`${culprit.object}: section '${culprit.name}' at ${hex(culprit.address)}..${hex(culprit.address + culprit.size_bytes)} runs into the stack (${hex(stackBottom)}..${hex(stackTop)}, ${stackSize} bytes); code and data may use ${stackBottom} bytes`);
  }
  if (cursor.mailbox > localMemoryLayout.size_bytes) {
    const culprit = placed.find((p) => p.region === 'mailbox' && p.address + p.size_bytes > localMemoryLayout.size_bytes)!;
    throw new LinkError(`${culprit.object}: section '.mailbox' at ${hex(culprit.address)} ends at ${hex(culprit.address + culprit.size_bytes)}, past the mailbox (${hex(localMemoryLayout.mailbox_address)}..${hex(localMemoryLayout.size_bytes)})`);
  }
  for (const [region, window] of [['sram-data', ppuAddressWindows.sramData], ['dram-data', ppuAddressWindows.dramData]] as const) {
    if (cursor[region] > window.size_bytes) {
      const culprit = placed.filter((p) => p.region === region || p.region === (region === 'sram-data' ? 'sram-code' : 'dram-code')).at(-1)!;
      throw new LinkError(`${culprit.object}: section '${culprit.name}' at ${hex(culprit.address)} ends past the ${window.size_bytes} bytes of external ${region.startsWith('sram') ? 'SRAM' : 'DRAM'}`);
    }
  }

  // ---- symbols ---------------------------------------------------------------------------------------------
  const symbols = new Map<string, number>([
    ['__stack_top', stackTop],
    ['__stack_bottom', stackBottom],
    ['__return_code', localMemoryLayout.returnCode_address],
    ['__mailbox', localMemoryLayout.mailbox_address],
    ['__mailbox_end', localMemoryLayout.size_bytes],
  ]);
  const definedIn = new Map<string, string>();
  const sectionAddress = (objectIndex: number, name: string): number | undefined => placed.find((p) => p.objectIndex === objectIndex && p.name === name)?.address;
  const locals = objects.map((object, objectIndex) => {
    const table = new Map<string, number>();
    for (const symbol of object.symbols) {
      const base = sectionAddress(objectIndex, symbol.section);
      if (base === undefined) throw new LinkError(`${object.name}: symbol '${symbol.name}' lies in section '${symbol.section}', which the object does not have`);
      const address = base + symbol.offset;
      table.set(symbol.name, address);
      if (!symbol.global) continue;
      if (symbols.has(symbol.name)) {
        throw new LinkError(`symbol '${symbol.name}' is defined in ${object.name} and ${definedIn.get(symbol.name) ?? 'the linker'}`);
      }
      symbols.set(symbol.name, address);
      definedIn.set(symbol.name, object.name);
    }
    return table;
  });
  const start = symbols.get('_start');
  if (start !== undefined && start !== 0) throw new LinkError(`_start is at ${hex(start)}, but the PPU starts executing at address 0: put it first in the first object's .text`);

  // ---- relocations -----------------------------------------------------------------------------------------
  for (const p of placed) {
    const object = objects[p.objectIndex]!;
    for (const r of p.source.relocations) {
      let target: number;
      if (r.target.kind === 'absolute') target = 0;
      else if (r.target.kind === 'section') {
        const base = sectionAddress(p.objectIndex, r.target.name);
        if (base === undefined) throw new LinkError(`${object.name}:${r.line}: refers to section '${r.target.name}', which the object does not have`);
        target = base;
      } else {
        const address = locals[p.objectIndex]!.get(r.target.name) ?? symbols.get(r.target.name);
        if (address === undefined) throw new LinkError(`${object.name}:${r.line}: undefined symbol '${r.target.name}' (referenced from ${p.name}+${hex(r.offset)})`);
        target = address;
      }
      applyRelocation(p, r, target + r.addend, object.name);
    }
  }

  const sections = placed.map(({ source: _source, objectIndex: _objectIndex, ...rest }) => rest);
  return {
    sections,
    symbols,
    layout: { code: [0, cursor.code], data: [alignUp(cursor.code, 16), cursor.data], stack: [stackBottom, stackTop], mailbox: [localMemoryLayout.mailbox_address, localMemoryLayout.size_bytes] },
  };
}

function applyRelocation(section: PlacedSection, r: Relocation, value: number, objectName: string): void {
  const view = new DataView(section.bytes.buffer, section.bytes.byteOffset, section.bytes.byteLength);
  const place = section.address + r.offset;
  const where = `${objectName}:${r.line}: ${section.name}+${hex(r.offset)}`;
  switch (r.type) {
    case 'addr32':
      view.setUint32(r.offset, value >>> 0);
      return;
    case 'addr16':
    case 'addr8': {
      const bits = r.type === 'addr16' ? 16 : 8;
      if (value < -(2 ** (bits - 1)) || value >= 2 ** bits) throw new LinkError(`${where}: value ${hex(value)} does not fit ${bits} bits`);
      if (bits === 16) view.setUint16(r.offset, value & 0xffff);
      else view.setUint8(r.offset, value & 0xff);
      return;
    }
    default: {
      const field = r.field!;
      let operand: number;
      if (r.type === 'lo' || r.type === 'hi' || r.type === 'ha') {
        // The halves are taken as raw 16 bits, as GNU ld does for R_PPC_ADDR16_LO/HI/HA.
        operand = r.type === 'lo' ? value & 0xffff : r.type === 'hi' ? (value >>> 16) & 0xffff : ((value + 0x8000) >>> 16) & 0xffff;
      } else {
        operand = r.type === 'rel' ? value - place : value;
        if (field.kind === 'bdAbs' || field.kind === 'liAbs') operand = value | 0;
        if (!fitsOperand(field.kind, operand)) {
          throw new LinkError(`${where}: ${r.type === 'rel' ? `branch displacement ${operand} to ${hex(value)}` : `value ${operand}`} does not fit ${field.name} (${describeRange(field.kind)})`);
        }
      }
      const word = view.getUint32(r.offset);
      view.setUint32(r.offset, (word | insertOperand(field, operand)) >>> 0);
    }
  }
}
