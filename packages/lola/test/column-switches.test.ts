import { ColumnCorrelationQuadOnDLS, ColumnCurrentQuadOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { ColumnCorrelationQuad, ColumnCurrentQuad } from '../src/index.js';
import { checkLeaf } from './synapse-leaf-properties.js';

describe('column switch quads (hardware.md §3.5)', () => {
  checkLeaf(ColumnCorrelationQuad, [...ColumnCorrelationQuadOnDLS.all()], 311);
  checkLeaf(ColumnCurrentQuad, [...ColumnCurrentQuadOnDLS.all()], 312);

  it('reset: every switch open, so no synaptic current reaches the neurons', () => {
    const off = [false, false, false, false];
    expect(new ColumnCurrentQuad().values()).toEqual({
      enableSynapticCurrentExcitatory: off,
      enableSynapticCurrentInhibitory: off,
      enableDebugExcitatory: off,
      enableDebugInhibitory: off,
    });
    expect(new ColumnCorrelationQuad().values()).toEqual({
      enableInternalCausal: off,
      enableInternalAcausal: off,
      enableDebugCausal: off,
      enableDebugAcausal: off,
      enableCadcNeuronReadoutCausal: off,
      enableCadcNeuronReadoutAcausal: off,
    });
    expect([...new ColumnCurrentQuad().encode()]).toEqual([0, 0]);
    expect([...new ColumnCorrelationQuad().encode()]).toEqual([0, 0]);
  });

  it('layout: byte lane per entry (entry 0 = MSB); word 0 causal/excitatory, word 1 acausal/inhibitory', () => {
    const current = new ColumnCurrentQuad({
      enableSynapticCurrentExcitatory: [true, false, false, false],
      enableSynapticCurrentInhibitory: [false, false, false, true],
      enableDebugExcitatory: [false, true, false, false],
      enableDebugInhibitory: [false, false, true, false],
    });
    expect([...current.encode()]).toEqual([0x01_02_00_00, 0x00_00_02_01]);
    const correlation = new ColumnCorrelationQuad({
      enableInternalCausal: [true, true, true, true],
      enableDebugAcausal: [false, true, false, false],
      enableCadcNeuronReadoutCausal: [false, false, false, true],
      enableCadcNeuronReadoutAcausal: [true, false, false, false],
    });
    expect([...correlation.encode()]).toEqual([0x01_01_01_05, 0x04_02_00_00]);
  });

  it('access: read-write, 2 words', () => {
    for (const type of [ColumnCorrelationQuad, ColumnCurrentQuad]) {
      expect([type.readable, type.writable, type.wordCount]).toEqual([true, true, 2]);
    }
  });
});
