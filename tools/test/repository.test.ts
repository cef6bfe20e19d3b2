// Repository-level rules: package layering, one public entry, README ↔ CI command, browser-ready cores.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packageNames = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'package.json')),
);

// architecture.md, "Layers and packages": what each package may import.
const allowedImports: Record<string, readonly string[]> = {
  halco: [],
  lola: ['halco'],
  fisch: [],
  stadls: ['halco', 'lola', 'fisch'],
  hxcomm: ['fisch', 'chip-sim'],
  'chip-sim': ['halco', 'lola', 'fisch', 'ppu'],
  routing: ['halco', 'lola'],
  calibration: ['halco', 'lola', 'fisch', 'stadls', 'hxcomm'],
  pynn: ['halco', 'lola', 'fisch', 'stadls', 'hxcomm', 'routing', 'calibration'],
};

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('package layering', () => {
  it.each(packageNames)('%s imports only lower layers, by package name', (pkg) => {
    const allowed = allowedImports[pkg];
    expect(allowed, `${pkg} has no layer in architecture.md`).toBeDefined();
    for (const file of sourceFiles(join(root, 'packages', pkg, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from\s+['"](@bss2\/[a-z0-9-]+)(\/[^'"]*)?['"]/g)) {
        const dep = match[1]!.slice('@bss2/'.length);
        if (dep === pkg) continue;
        expect(allowed, `${file} imports ${match[0]}`).toContain(dep);
      }
      expect(text, `${file} reaches into another package by path`).not.toMatch(/from\s+['"]\.\.\/\.\.\/[a-z]/);
    }
  });

  it.each(packageNames)('%s has one public entry, a README and a build to dist/', (pkg) => {
    const dir = join(root, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, unknown>;
    };
    expect(manifest.name).toBe(`@bss2/${pkg}`);
    expect(Object.keys(manifest.exports)).toContain('.');
    expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
  });

  it('the root package depends on every workspace package', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const pkg of packageNames) expect(manifest.dependencies[`@bss2/${pkg}`]).toBe('workspace:*');
  });
});

describe('README and CI', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands = [...readme.matchAll(/```sh\n(.*)\n```/g)].map((m) => m[1]!);

  it('gives exactly two commands, a demo and the tests', () => {
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/ demo$/);
    expect(commands[1]).toMatch(/ test$/);
  });

  it('CI runs exactly the README test command', () => {
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8').trim().split('\n');
    expect(ci.at(-1)).toBe(commands[1]);
  });

  it('pins the pnpm version the commands use', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string };
    const version = manifest.packageManager.replace('pnpm@', '');
    for (const command of commands) expect(command).toContain(`pnpm@${version} `);
  });
});

describe('browser-ready cores', () => {
  it.each(packageNames)('%s bundles for the browser without Node built-ins', async (pkg) => {
    const entry = join(root, 'packages', pkg, 'dist', 'index.js');
    expect(existsSync(entry), `${entry} missing: build first`).toBe(true);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\brequire\(["']node:/);
    expect(code).not.toMatch(/from ["']node:/);
  });
});
