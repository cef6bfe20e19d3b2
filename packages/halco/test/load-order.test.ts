import { describe, expect, it, vi } from 'vitest';

// Import cycles between the coordinate files are fine only while no module reads another's class during its own
// evaluation (parts of composites from other files are passed as thunks). Entering the graph at every file in
// turn, with a fresh module cache, proves it for each evaluation order a user can trigger.
// @ts-expect-error import.meta.glob is vite's (vitest transforms it); @types/node does not declare it
const modules: Record<string, () => Promise<unknown>> = import.meta.glob('../src/*.ts');

describe('module evaluation order', () => {
  it.each(Object.keys(modules).sort())('loads when %s is imported first', async (path) => {
    vi.resetModules();
    await modules[path]!();
    const index = await import('../src/index.js');
    expect(index.coordinateTypes().size).toBeGreaterThan(100);
    for (const [name, type] of index.coordinateTypes()) expect(new type(type.max).toString()).toBe(`${name}(${type.max})`);
    expect(index.AtomicNeuronOnDLS.X).toBe(index.NeuronColumnOnDLS);
    expect(index.NeuronResetQuadOnDLS.X).toBe(index.SynapseQuadColumnOnDLS);
    expect(index.omnibusAddresses.CrossbarNode(new index.CrossbarNodeOnDLS(75))).toEqual([0x13_0064]);
  });
});
