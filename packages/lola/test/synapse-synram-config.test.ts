import { CommonSynramConfigOnDLS, SynapseBiasSelectionOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { CommonSynramConfig, FieldRangeError, SynapseBiasSelection } from '../src/index.js';
import { checkLeaf } from './synapse-leaf-properties.js';

describe('synram-wide configuration (hardware.md §3.5)', () => {
  checkLeaf(CommonSynramConfig, [...CommonSynramConfigOnDLS.all()], 321);
  checkLeaf(SynapseBiasSelection, [...SynapseBiasSelectionOnDLS.all()], 322);

  it('CommonSynramConfig reset follows upstream haldls: pc_conf 8, w_conf 3, wait_ctr_clear 4', () => {
    expect(new CommonSynramConfig().values()).toEqual({ pcConfWest: 8, pcConfEast: 8, wConfWest: 3, wConfEast: 3, waitCtrClear: 4 });
    expect([...new CommonSynramConfig().encode()]).toEqual([0x88, 0x0303, 0x4]);
    expect([...new CommonSynramConfig({ pcConfWest: 15, pcConfEast: 1, wConfWest: 255, wConfEast: 16, waitCtrClear: 7 }).encode()]).toEqual([0x1f, 0x10ff, 7]);
  });

  it('CommonSynramConfig ranges: pc_conf 0..15, w_conf 0..255, wait_ctr_clear 0..7', () => {
    expect(() => new CommonSynramConfig({ pcConfEast: 16 })).toThrow(FieldRangeError);
    expect(() => new CommonSynramConfig({ wConfWest: 256 })).toThrow('CommonSynramConfig.wConfWest = 256 is invalid: expected an integer in 0..255');
    expect(() => new CommonSynramConfig({ waitCtrClear: 8 })).toThrow(FieldRangeError);
  });

  it('SynapseBiasSelection reset: every internal bias enabled; 4 bits per bias, block 0 first', () => {
    const on = [true, true, true, true];
    expect(new SynapseBiasSelection().values()).toEqual({
      enableInternalDacBias: on,
      enableInternalRampBias: on,
      enableInternalStoreBias: on,
      enableInternalOutputBias: on,
    });
    expect([...new SynapseBiasSelection().encode()]).toEqual([0xffff]);
    const external = new SynapseBiasSelection({ enableInternalDacBias: [false, true, true, true], enableInternalOutputBias: [true, true, true, false] });
    expect([...external.encode()]).toEqual([0x7ffe]);
  });

  it('access: CommonSynramConfig read-write (3 words); SynapseBiasSelection write-only on every backend', () => {
    expect([CommonSynramConfig.readable, CommonSynramConfig.writable, CommonSynramConfig.wordCount]).toEqual([true, true, 3]);
    expect([SynapseBiasSelection.readable, SynapseBiasSelection.writable, SynapseBiasSelection.wordCount]).toEqual([false, true, 1]);
  });
});
