// Model parameters the chip cannot realise: each a ParameterError naming the PyNN parameter, the population and
// neuron, and the range in model units — raised by prepare()/run() before any program reaches the chip.
import { afterEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, rejected, thrown } from './support/network.js';

async function refused(cell: pynn.CellType, size = 1): Promise<pynn.ParameterError> {
  pynn.setup(IDEAL);
  new pynn.Population(size, cell, { label: 'p' });
  const error = await rejected(pynn.ParameterError, () => pynn.prepare());
  expect(pynn.simulator().lastProgram).toBeUndefined();
  expect(error.population).toBe('p');
  return error;
}

describe('model parameters outside the chip', () => {
  afterEach(() => pynn.end());

  it('a calibration target out of range names the PyNN parameter and its range in model units', async () => {
    const error = await refused(new pynn.IF_curr_exp({ tau_m: [20, 100] }), 2);
    expect(error).toMatchObject({ parameter: 'tau_m', value: 100 });
    expect(error.message).toMatch(/tau_m = 100 of population 'p' neuron 1 is outside what the chip realises: expected 0\.5\.\.60 ms/);
  });

  it('a refractory time too short for the reset to reach v_reset', async () => {
    const error = await refused(new pynn.IF_curr_exp({ tau_refrac: 0.1 }));
    expect(error).toMatchObject({ parameter: 'tau_refrac', value: 0.1 });
    expect(error.message).toMatch(/too short for the chip's reset.*tau_refrac ≥ 1\.2\d* ms/);
  });

  it('reversal potentials beyond the CapMem voltage range', async () => {
    const error = await refused(new pynn.IF_cond_exp({ e_rev_E: 0 }));
    expect(error).toMatchObject({ parameter: 'e_rev_E', value: 0 });
    expect(error.message).toMatch(/outside the chip's voltage range \(-96\.1\d*\.\.-7\.2\d* mV\)/);
  });

  it('an offset current beyond the linear range of the constant-current source', async () => {
    const error = await refused(new pynn.IF_curr_exp({ i_offset: 5 }));
    expect(error).toMatchObject({ parameter: 'i_offset', value: 5 });
    expect(error.message).toMatch(/exceeds the chip's linear offset current/);
  });

  it('AdEx terms whose CapMem settings exceed 1022: tau_w, a, b', async () => {
    expect(await refused(new pynn.EIF_cond_exp_isfa_ista({ tau_w: 5 }))).toMatchObject({ parameter: 'tau_w' });
    await pynn.end();
    expect(await refused(new pynn.EIF_cond_exp_isfa_ista({ a: 100 }))).toMatchObject({ parameter: 'a' });
    await pynn.end();
    const b = await refused(new pynn.EIF_cond_exp_isfa_ista({ b: 5 }));
    expect(b.message).toMatch(/needs CapMem \d+, outside 0\.\.1022 \(realisable: \|b\| ≤/);
  });

  it('unknown names are refused with the cell type, values of the wrong kind with the population', () => {
    expect(thrown(pynn.ParameterError, () => new pynn.IF_curr_exp({ tau_mm: 1 }))).toMatchObject({ parameter: 'tau_mm' });
    pynn.setup(IDEAL);
    const error = thrown(pynn.ParameterError, () => new pynn.Population(1, new pynn.IF_curr_exp({ tau_m: -1 }), { label: 'p' }));
    expect(error).toMatchObject({ parameter: 'tau_m', value: -1 });
    expect(error.message).toMatch(/must be a finite number > 0/);
  });
});
