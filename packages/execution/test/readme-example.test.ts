import { describe, expect, it } from 'vitest';
import { readmeExample } from '../examples/readme.js';

describe('README example', () => {
  it('more input spikes give more output spikes: per entry along the sources, per source along the entries', async () => {
    const counts = await readmeExample();
    expect(counts).toHaveLength(3);
    for (const entry of counts) {
      expect(entry[0]).toBe(0);
      for (let i = 1; i < 4; i++) expect(entry[i]!).toBeGreaterThanOrEqual(entry[i - 1]!);
    }
    for (let i = 0; i < 4; i++) for (let k = 1; k < 3; k++) expect(counts[k]![i]!).toBeGreaterThanOrEqual(counts[k - 1]![i]!);
    expect(counts[2]![3]!).toBeGreaterThan(counts[0]![3]!);
  });
});
