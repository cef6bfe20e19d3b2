// The single-neuron SuperSpike task in mock mode: from silence, one LIF neuron learns a target train from 25
// frozen Poisson inputs; the van Rossum loss falls at least 5×.
import { beforeAll, expect, it } from 'vitest';
import { SpikingParameterError, initTensorBackend, trainSuperSpike } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend();
});

it('learns a target spike train: the van Rossum loss falls at least 5×', async () => {
  const result = await trainSuperSpike({ mock: true }, { seed: 1 });
  const first = result.losses[0]!;
  const last = Math.min(...result.losses.slice(-10));
  expect(first).toBeGreaterThan(0);
  expect(last).toBeLessThanOrEqual(first / 5);
  // Every target spike has an output spike within 3 steps.
  for (const t of result.target) expect(result.output.some((o) => Math.abs(o - t) <= 3)).toBe(true);
  await result.experiment.close();
}, 60_000);

it('refuses target spikes outside the run', async () => {
  await expect(trainSuperSpike({ mock: true }, { steps: 50, target: [10, 60] })).rejects.toThrow(SpikingParameterError);
  await expect(trainSuperSpike({ mock: true }, { iterations: 0 })).rejects.toThrow(/iterations is a whole number ≥ 1, got 0/);
});
