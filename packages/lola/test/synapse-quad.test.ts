import { EntryOnQuad, SynapseQuadOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  CorrelationReset,
  SynapseCorrelationCalibQuad,
  SynapseLabelQuad,
  SynapseQuad,
  SynapseWeightQuad,
} from '../src/index.js';
import { checkLeaf } from './synapse-leaf-properties.js';

const sampleQuads = [0, 1, 63, 64, 16383, 16384, 32767].map((v) => new SynapseQuadOnDLS(v));

describe('synapse quads (hardware.md §3.5)', () => {
  checkLeaf(SynapseQuad, sampleQuads, 301);
  checkLeaf(SynapseWeightQuad, sampleQuads, 302);
  checkLeaf(SynapseLabelQuad, sampleQuads, 303);
  checkLeaf(SynapseCorrelationCalibQuad, sampleQuads, 304);
  checkLeaf(CorrelationReset, sampleQuads, 305);

  it('reset: every weight, label and trim 0', () => {
    const q = new SynapseQuad();
    expect(q.values()).toEqual({ weights: [0, 0, 0, 0], labels: [0, 0, 0, 0], timeCalibs: [0, 0, 0, 0], ampCalibs: [0, 0, 0, 0] });
    expect([...q.encode()]).toEqual([0, 0]);
    expect(new SynapseWeightQuad().weights).toEqual([0, 0, 0, 0]);
    expect(new SynapseLabelQuad().labels).toEqual([0, 0, 0, 0]);
    expect(new SynapseCorrelationCalibQuad().values()).toEqual({ timeCalibs: [0, 0, 0, 0], ampCalibs: [0, 0, 0, 0] });
    expect([...new CorrelationReset().encode()]).toEqual([0]);
  });

  it('word 0 byte = time_calib << 6 | weight, word 1 byte = amp_calib << 6 | label; entry 0 is the MSB', () => {
    const q = new SynapseQuad({ weights: [0x2a, 1, 2, 3], labels: [0x11, 4, 5, 6], timeCalibs: [3, 0, 1, 2], ampCalibs: [1, 2, 3, 0] });
    const [w0, w1] = q.encode();
    expect(w0).toBe(0xea_01_42_83);
    expect(w1).toBe(0x51_84_c5_06);
    expect(SynapseQuad.decode(Uint32Array.of(0x3f000000, 0x00000040)).values()).toEqual({
      weights: [63, 0, 0, 0],
      labels: [0, 0, 0, 0],
      timeCalibs: [0, 0, 0, 0],
      ampCalibs: [0, 0, 0, 1],
    });
  });

  it('the weight, label and trim windows use the same byte lanes', () => {
    expect([...new SynapseWeightQuad({ weights: [63, 1, 0, 2] }).encode()]).toEqual([0x3f_01_00_02]);
    expect([...new SynapseLabelQuad({ labels: [1, 2, 3, 63] }).encode()]).toEqual([0x01_02_03_3f]);
    // Trims sit in the 2 LSBs of each byte; time_calib in word 0, amp_calib in word 1.
    expect([...new SynapseCorrelationCalibQuad({ timeCalibs: [3, 2, 1, 0], ampCalibs: [0, 1, 2, 3] }).encode()]).toEqual([0x03_02_01_00, 0x00_01_02_03]);
    // Bits outside the fields (the trims seen through the weight window) are ignored on decode.
    expect(SynapseWeightQuad.decode(Uint32Array.of(0xffffffff)).weights).toEqual([63, 63, 63, 63]);
  });

  it('access: quads read-write, CorrelationReset write-only', () => {
    for (const type of [SynapseQuad, SynapseWeightQuad, SynapseLabelQuad, SynapseCorrelationCalibQuad]) {
      expect([type.readable, type.writable]).toEqual([true, true]);
    }
    expect([CorrelationReset.readable, CorrelationReset.writable]).toEqual([false, true]);
    expect([SynapseQuad.wordCount, SynapseWeightQuad.wordCount, SynapseLabelQuad.wordCount, SynapseCorrelationCalibQuad.wordCount]).toEqual([2, 1, 1, 2]);
  });

  it('SynapseQuad words at quadBase + 128·row + q and + 64 (top synram)', () => {
    const quad = new SynapseQuadOnDLS(64 * 5 + 33);
    expect(SynapseQuad.addresses(quad)).toEqual([0x02cf_0000 + 128 * 5 + 33, 0x02cf_0000 + 128 * 5 + 33 + 64]);
    expect(EntryOnQuad.size).toBe(4);
  });
});
