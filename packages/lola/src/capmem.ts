import { CapMemBlockConfigOnDLS, CapMemCellOnDLS, ReferenceGeneratorConfigOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { type FieldType, type RegisterField, at, bool, enumeration, uint } from './field.js';
import { register } from './register.js';

/** The CapMem "do not refresh" sentinel (hardware.md §3.1, §3.8): stored as code 1023. */
export const capMemDisableRefresh = 'disableRefresh';
export type CapMemDisableRefresh = typeof capMemDisableRefresh;

/** Content of one CapMem cell: a value `0..1022` (CapMem LSB) or the sentinel. */
export type CapMemCellValue = number | CapMemDisableRefresh;

/** CapMem cells hold 10-bit codes (hardware.md §1); the all-ones code is the sentinel. */
const capMemCodeBits = 10;
const disableRefreshCode = 2 ** capMemCodeBits - 1;
/** Largest CapMem value, the code below the sentinel (`nominal.capMemValueMax_lsb`). */
export const capMemValueMax = disableRefreshCode - 1;

/** Value type of a CapMem cell: `0..1022` or `'disableRefresh'` (raw 1023). */
export const capMemCellValueType: FieldType<CapMemCellValue> = {
  default: 0,
  rule: `an integer in 0..${capMemValueMax} or CapMemCell.disableRefresh ('${capMemDisableRefresh}')`,
  accept: (v) =>
    v === capMemDisableRefresh ? v : typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= capMemValueMax ? v : undefined,
  toRaw: (v) => (v === capMemDisableRefresh ? disableRefreshCode : v),
  fromRaw: (raw) => (raw === disableRefreshCode ? capMemDisableRefresh : raw <= capMemValueMax ? raw : undefined),
  same: (a, b) => a === b,
};

/** Cell value of a raw code, or `undefined` for codes above 1023. */
export function capMemValueOfCode(code: number): CapMemCellValue | undefined {
  return capMemCellValueType.fromRaw(code);
}

const cellValue: RegisterField<CapMemCellValue> = { type: capMemCellValueType, slices: [at(0, 0, capMemCodeBits)] };

/**
 * One analog parameter cell (hardware.md §3.8): `value` 0..1022 CapMem LSB, or `CapMemCell.disableRefresh`
 * (code 1023: the cell keeps its charge and is not refreshed). One word, the code in bits 9..0.
 *
 * ```ts
 * new CapMemCell({ value: 700 }); new CapMemCell({ value: CapMemCell.disableRefresh });
 * ```
 */
export class CapMemCell extends register({
  typeName: 'CapMemCell',
  coordinateType: CapMemCellOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CapMemCellOnDLS) => omnibusAddresses.CapMemCell(c),
  fields: { value: cellValue },
}) {
  static readonly disableRefresh: CapMemDisableRefresh = capMemDisableRefresh;
}
registerContainer(CapMemCell);

/** Voltage reference routed to the debug output (upstream haldls `VRefSelect`). */
export const capMemVRefSelects = ['disabled', 'vRefV', 'vRefI'] as const;
/** Current output routed to the debug output (upstream haldls `IOutSelect`). */
export const capMemIOutSelects = ['disabled', 'iOutMux', 'iOutRamp'] as const;

/**
 * Refresh controller and debug readout of one CapMem block (hardware.md §3.8), 10 words. **Choice:** the words
 * follow upstream haldls `CapMemBlockConfig` (word 6 packs sub_counter, enables, prescalers and boost factor;
 * words 7/8 pair the 16-bit pulse and boost timings; word 9 the pause counter), except that the debug cell is
 * stored in binary (row in word 0 bits 4..0 with the enable in bit 31, column in word 1) instead of as a one-hot
 * row, so that every value round-trips. Defaults are upstream's. The timing fields have no effect on simulated
 * cell values.
 */
export class CapMemBlockConfig extends register({
  typeName: 'CapMemBlockConfig',
  coordinateType: CapMemBlockConfigOnDLS,
  wordCount: 10,
  readable: true,
  writable: true,
  addresses: (c: CapMemBlockConfigOnDLS) => omnibusAddresses.CapMemBlockConfig(c),
  fields: {
    enableCapmem: bool(at(6, 16), true),
    debugReadoutEnable: bool(at(0, 31)),
    debugCapmemRow: uint(at(0, 0, 5), { max: 23 }),
    debugCapmemColumn: uint(at(1, 0, 8), { max: 129 }),
    debugVRefSelect: enumeration(capMemVRefSelects, at(2, 0, 2)),
    debugIOutSelect: enumeration(capMemIOutSelects, at(5, 0, 2)),
    debugOutAmpBias: uint(at(3, 12, 4), { default: 7 }),
    debugSourceFollowerBias: uint(at(3, 8, 4), { default: 3 }),
    debugLevelShifterBias: uint(at(3, 4, 4), { default: 3 }),
    vGlobalBias: uint(at(3, 0, 4), { default: 7 }),
    currentCellRes: uint(at(4, 0, 6), { default: 8 }),
    boostFactor: uint(at(6, 28, 4)),
    enableBoost: bool(at(6, 17)),
    enableAutoboost: bool(at(6, 18)),
    prescalePause: uint(at(6, 24, 4), { max: 6, default: 3 }),
    prescaleRamp: uint(at(6, 20, 4), { max: 6, default: 3 }),
    subCounter: uint(at(6, 0, 16), { default: 16 }),
    pauseCounter: uint(at(9, 0, 32), { default: 8096 }),
    pulseA: uint(at(7, 16, 16), { default: 4 }),
    pulseB: uint(at(7, 0, 16), { default: 7 }),
    boostA: uint(at(8, 16, 16)),
    boostB: uint(at(8, 0, 16)),
  },
}) {}
registerContainer(CapMemBlockConfig);

/**
 * The chip's reference current generator feeding every CapMem block (hardware.md §3.8), 4 words. Fields and
 * defaults follow upstream haldls `ReferenceGeneratorConfig`. **Choice** of layout: word 0 the four enables,
 * word 1 the CapMem amplifier and offset biases, word 2 the slope and reference-control DACs, word 3 the
 * resistor-control DAC (6 bits each, packed LSB-first).
 */
export class ReferenceGeneratorConfig extends register({
  typeName: 'ReferenceGeneratorConfig',
  coordinateType: ReferenceGeneratorConfigOnDLS,
  wordCount: 4,
  readable: true,
  writable: true,
  addresses: (c: ReferenceGeneratorConfigOnDLS) => omnibusAddresses.ReferenceGeneratorConfig(c),
  fields: {
    enableInternalReference: bool(at(0, 0), true),
    enableReferenceOutput: bool(at(0, 1)),
    enableReferenceInput: bool(at(0, 2)),
    enableReset: bool(at(0, 3)),
    capmemAmplifier: uint(at(1, 0, 6), { default: 60 }),
    capmemOffset: uint(at(1, 6, 6)),
    capmemSlope: uint(at(2, 0, 6), { default: 5 }),
    referenceControl: uint(at(2, 6, 6), { default: 10 }),
    resistorControl: uint(at(3, 0, 6), { default: 40 }),
  },
}) {}
registerContainer(ReferenceGeneratorConfig);
