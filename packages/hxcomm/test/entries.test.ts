// The entries of the package (architecture.md, "Layers and packages"): chip-sim is imported only by the
// in-process entry, so the main entry and the Node entry load no simulator until one is asked for.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Import {
  readonly specifier: string;
  /** `import type` / `export type`: erased from the JavaScript, kept in the declarations. */
  readonly typeOnly: boolean;
}

/**
 * The source modules an entry reaches through static imports, with what each imports. `loaded`: only what
 * loading the entry's JavaScript loads (type-only imports not followed).
 */
function moduleGraph(entry: string, loaded: boolean): Map<string, Import[]> {
  const graph = new Map<string, Import[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/^\s*(?:import|export)\b(\s+type\b)?(?:[^;'"]*?\bfrom\s*|\s*)['"]([^'"]+)['"]/gm)]
      .map((m) => ({ specifier: m[2]!, typeOnly: m[1] !== undefined }))
      .filter((i) => !(loaded && i.typeOnly));
    graph.set(file, imports);
    for (const { specifier } of imports) if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
  };
  visit(join(root, entry));
  return graph;
}

const modules = (graph: Map<string, Import[]>): string[] => [...graph.keys()].map((file) => relative(root, file));

/** The modules of `graph` that import `pkg`. */
function importersOf(graph: Map<string, Import[]>, pkg: string): string[] {
  return [...graph].filter(([, list]) => list.some((i) => i.specifier === pkg || i.specifier.startsWith(`${pkg}/`))).map(([file]) => relative(root, file));
}

describe('package entries', () => {
  it('the main entry reaches neither @bss2/chip-sim nor the in-process entry, not even for types', () => {
    const graph = moduleGraph('src/index.ts', false);
    expect(graph.size).toBeGreaterThan(5);
    expect(importersOf(graph, '@bss2/chip-sim')).toEqual([]);
    expect(modules(graph).filter((m) => m.startsWith('src/in-process'))).toEqual([]);
  });

  it('the Node entry loads no simulator; it names the in-process entry’s SimulatedChip type only', () => {
    const loaded = moduleGraph('src/node/index.ts', true);
    expect(loaded.size).toBeGreaterThan(5);
    expect(importersOf(loaded, '@bss2/chip-sim')).toEqual([]);
    expect(modules(loaded).filter((m) => m.startsWith('src/in-process'))).toEqual([]);
    expect(importersOf(moduleGraph('src/node/index.ts', false), '@bss2/chip-sim')).toEqual(['src/in-process/index.ts', 'src/in-process/in-process-connection.ts']);
  });

  it('connectSelection and serveSimulator load the in-process modules on demand', () => {
    const dynamic = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
    expect(dynamic('src/connect-selection.ts')).toEqual(['./in-process/index.js']);
    expect(dynamic('src/node/serve.ts')).toEqual(['../in-process/in-process-connection.js']);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(manifest.exports['./in-process']?.default).toBe('./dist/in-process/index.js');
  });
});
