import {
  PadMultiplexerConfigOnDLS,
  ReadoutSourceSelectionOnDLS,
  SourceMultiplexerOnReadoutSourceSelection,
  omnibusAddresses,
} from '@bss2/halco';
import { registerContainer } from './container.js';
import { UnknownFieldError } from './errors.js';
import { array, at, booleanType, bool } from './field.js';
import { register } from './register.js';

/** A pair indexed by HemisphereOnDLS: `[top, bottom]`. */
export type PerHemisphere = readonly [top: boolean, bottom: boolean];

/**
 * The inputs one source multiplexer (one MADC channel, SourceMultiplexerOnReadoutSourceSelection) connects,
 * as upstream haldls `ReadoutSourceSelection::SourceMultiplexer`: the `debug_plus` / `debug_minus` lines,
 * the readout current DAC (`idac_i_out`), the synaptic-input and CADC debug lines, the synapse-driver
 * debug readout per hemisphere, and the two neuron readout lines per hemisphere — `neuronEven` is shared by
 * all even-column neurons of that hemisphere, `neuronOdd` by all odd ones (hardware.md §3.9).
 */
export interface SourceMultiplexer {
  readonly debugPlus: boolean;
  readonly debugMinus: boolean;
  readonly currentDac: boolean;
  readonly syninDebugInhibitory: boolean;
  readonly syninDebugExcitatory: boolean;
  readonly cadcDebugCausal: boolean;
  readonly cadcDebugAcausal: boolean;
  readonly synapseDriverDebug: PerHemisphere;
  readonly neuronOdd: PerHemisphere;
  readonly neuronEven: PerHemisphere;
}

const sourceMultiplexerKeys: readonly (keyof SourceMultiplexer)[] = [
  'debugPlus', 'debugMinus', 'currentDac', 'syninDebugInhibitory', 'syninDebugExcitatory', 'cadcDebugCausal',
  'cadcDebugAcausal', 'synapseDriverDebug', 'neuronOdd', 'neuronEven',
];

/** Every input of a source multiplexer disconnected (its reset state). */
export const disconnectedSourceMultiplexer: SourceMultiplexer = Object.freeze({
  debugPlus: false,
  debugMinus: false,
  currentDac: false,
  syninDebugInhibitory: false,
  syninDebugExcitatory: false,
  cadcDebugCausal: false,
  cadcDebugAcausal: false,
  synapseDriverDebug: Object.freeze([false, false] as const),
  neuronOdd: Object.freeze([false, false] as const),
  neuronEven: Object.freeze([false, false] as const),
});

/** A flag of both multiplexers: element `m` sits at `bit` of word `m` (upstream: word m = multiplexer m). */
const perMux = (bit: number) => array(2, booleanType(), (mux) => at(mux, bit));

/**
 * The two source multiplexers in front of the MADC's two input channels and the readout pads (hardware.md
 * §3.9). Each field is an array indexed by SourceMultiplexerOnReadoutSourceSelection; `sourceMultiplexer(m)`
 * and `withSourceMultiplexer(m, …)` give the upstream per-multiplexer view. Layout as upstream haldls: word m
 * holds multiplexer m (bits 0..12 in the order of the fields below); `enableBufferToPad` (the buffer behind
 * multiplexer m driving pad m, see PadMultiplexerConfig.bufferToPad) sits in word 1, bit 14 for m = 0 and
 * bit 13 for m = 1. Reset: everything disconnected.
 */
export class ReadoutSourceSelection extends register({
  typeName: 'ReadoutSourceSelection',
  coordinateType: ReadoutSourceSelectionOnDLS,
  wordCount: 2,
  readable: true,
  writable: true,
  addresses: (c: ReadoutSourceSelectionOnDLS) => omnibusAddresses.ReadoutSourceSelection(c),
  fields: {
    debugPlus: perMux(0),
    debugMinus: perMux(1),
    currentDac: perMux(2),
    syninDebugInhibitory: perMux(3),
    syninDebugExcitatory: perMux(4),
    cadcDebugCausal: perMux(5),
    cadcDebugAcausal: perMux(6),
    synapseDriverDebugTop: perMux(7),
    synapseDriverDebugBottom: perMux(8),
    neuronOddTop: perMux(9),
    neuronEvenTop: perMux(10),
    neuronOddBottom: perMux(11),
    neuronEvenBottom: perMux(12),
    enableBufferToPad: array(2, booleanType(), (mux) => at(1, mux === 0 ? 14 : 13)),
  },
}) {
  /** The inputs multiplexer `mux` connects. */
  sourceMultiplexer(mux: SourceMultiplexerOnReadoutSourceSelection): SourceMultiplexer {
    const m = mux.value;
    return Object.freeze({
      debugPlus: this.debugPlus[m]!,
      debugMinus: this.debugMinus[m]!,
      currentDac: this.currentDac[m]!,
      syninDebugInhibitory: this.syninDebugInhibitory[m]!,
      syninDebugExcitatory: this.syninDebugExcitatory[m]!,
      cadcDebugCausal: this.cadcDebugCausal[m]!,
      cadcDebugAcausal: this.cadcDebugAcausal[m]!,
      synapseDriverDebug: Object.freeze([this.synapseDriverDebugTop[m]!, this.synapseDriverDebugBottom[m]!] as const),
      neuronOdd: Object.freeze([this.neuronOddTop[m]!, this.neuronOddBottom[m]!] as const),
      neuronEven: Object.freeze([this.neuronEvenTop[m]!, this.neuronEvenBottom[m]!] as const),
    });
  }

  /** A copy with multiplexer `mux` set to `source` (validated like the constructor). */
  withSourceMultiplexer(mux: SourceMultiplexerOnReadoutSourceSelection, source: SourceMultiplexer): ReadoutSourceSelection {
    for (const key of Object.keys(source)) {
      if (!(sourceMultiplexerKeys as readonly string[]).includes(key)) {
        throw new UnknownFieldError('SourceMultiplexer', key, sourceMultiplexerKeys);
      }
    }
    const m = mux.value;
    const set = (values: readonly boolean[], value: unknown): boolean[] => {
      const copy = [...values];
      copy[m] = value as boolean;
      return copy;
    };
    const pair = (value: PerHemisphere | undefined, index: 0 | 1): unknown => (Array.isArray(value) && value.length === 2 ? value[index] : value);
    return this.with({
      debugPlus: set(this.debugPlus, source.debugPlus),
      debugMinus: set(this.debugMinus, source.debugMinus),
      currentDac: set(this.currentDac, source.currentDac),
      syninDebugInhibitory: set(this.syninDebugInhibitory, source.syninDebugInhibitory),
      syninDebugExcitatory: set(this.syninDebugExcitatory, source.syninDebugExcitatory),
      cadcDebugCausal: set(this.cadcDebugCausal, source.cadcDebugCausal),
      cadcDebugAcausal: set(this.cadcDebugAcausal, source.cadcDebugAcausal),
      synapseDriverDebugTop: set(this.synapseDriverDebugTop, pair(source.synapseDriverDebug, 0)),
      synapseDriverDebugBottom: set(this.synapseDriverDebugBottom, pair(source.synapseDriverDebug, 1)),
      neuronOddTop: set(this.neuronOddTop, pair(source.neuronOdd, 0)),
      neuronOddBottom: set(this.neuronOddBottom, pair(source.neuronOdd, 1)),
      neuronEvenTop: set(this.neuronEvenTop, pair(source.neuronEven, 0)),
      neuronEvenBottom: set(this.neuronEvenBottom, pair(source.neuronEven, 1)),
    });
  }
}
registerContainer(ReadoutSourceSelection);

/** A flag per CapMem quadrant (CapMemBlockOnDLS 0..3); upstream stores quadrant 3 at the lowest bit. */
const perQuadrant = (lowestBit: number) => array(4, booleanType(), (quadrant) => at(0, lowestBit + 3 - quadrant));

/**
 * Direct (unbuffered) connections of on-chip signals to one analog pad (PadOnDLS 0..1; hardware.md §3.9).
 * Fields and bit order as upstream haldls `PadMultiplexerConfig`, whose two 16-bit words are bits 15..0 and
 * 31..16 of this one word (Choice). Signals reach the pad through intermediate multiplexers: a CapMem
 * output needs both its `…ToCapmemIntermediateMux` switch and `capmemIntermediateMuxToPad`, a synapse-array
 * debug line its `…ToSynapseIntermediateMux` switch and `synapseIntermediateMuxToPad`. `bufferToPad[m]`
 * connects the buffered output of source multiplexer m (ReadoutSourceSelection); `debugToPad` connects
 * `debug_plus` on pad 0 and `debug_minus` on pad 1. Never enable a direct and a buffered path to the same
 * signal (feedback). Reset: everything disconnected.
 */
export class PadMultiplexerConfig extends register({
  typeName: 'PadMultiplexerConfig',
  coordinateType: PadMultiplexerConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: PadMultiplexerConfigOnDLS) => omnibusAddresses.PadMultiplexerConfig(c),
  fields: {
    cadcVRampMux: perQuadrant(0),
    cadcVRampMuxToPad: bool(at(0, 4)),
    capmemIOutMux: perQuadrant(5),
    capmemIOutMuxToCapmemIntermediateMux: bool(at(0, 9)),
    capmemIntermediateMuxToPad: bool(at(0, 10)),
    capmemVOutMux: perQuadrant(11),
    capmemVOutMuxToCapmemIntermediateMux: bool(at(0, 15)),
    capmemVRefMux: perQuadrant(16),
    capmemVRefMuxToCapmemIntermediateMux: bool(at(0, 20)),
    neuronIStimMux: array(2, booleanType(), (hemisphere) => at(0, 21 + hemisphere)),
    cadcDebugCausalToSynapseIntermediateMux: bool(at(0, 23)),
    cadcDebugAcausalToSynapseIntermediateMux: bool(at(0, 24)),
    syninDebugInhibitoryToSynapseIntermediateMux: bool(at(0, 25)),
    syninDebugExcitatoryToSynapseIntermediateMux: bool(at(0, 26)),
    synapseIntermediateMuxToPad: bool(at(0, 27)),
    bufferToPad: array(2, booleanType(), (mux) => at(0, mux === 0 ? 29 : 28)),
    debugToPad: bool(at(0, 30)),
    neuronIStimMuxToPad: bool(at(0, 31)),
  },
}) {}
registerContainer(PadMultiplexerConfig);
