import { describe, expect, it } from 'vitest';
import { readmeExample } from '../examples/readme.js';

describe('README example', () => {
  it('drives the neuron over threshold with four full-weight inputs and records its membrane', async () => {
    const { spikes_ms, samples } = await readmeExample();
    // Four 3.37 nA PSCs 2 ms apart onto 0.2 nF lift the membrane by ≈ 20 mV: at least one spike, after the
    // first input and within the burst's reach.
    expect(spikes_ms.length).toBeGreaterThan(0);
    expect(spikes_ms[0]).toBeGreaterThan(10);
    expect(spikes_ms[0]).toBeLessThan(25);
    // 50 ms biological = 50 µs chip at one sample per 34 ns; the MADC starts one cycle (8 ns) before the
    // segment, so the samples lie at 26 ns + 34 ns · k.
    expect(samples).toBe(Math.floor((50_000 - 26) / 34) + 1);
  });
});
