// Repository-level rules: package layering, one public entry, README ↔ CI command, browser-ready cores.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packageNames = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'package.json')),
);

// architecture.md, "Layers and packages", as data: each package's layer and its "depends on" column. `andBelow`
// is "X and below" (X and everything X may depend on, transitively), plus `dependsOn` and theirs when both are
// given; `anythingBelow` every lower layer; `entryOnly` a dependency allowed only in the files of one entry
// (hxcomm's in-process connection).
interface LayerRule {
  layer: number;
  dependsOn?: readonly string[];
  andBelow?: string;
  anythingBelow?: true;
  entryOnly?: Readonly<Record<string, { files: RegExp; entry: string }>>;
}

const layers: Readonly<Record<string, LayerRule>> = {
  halco: { layer: 0, dependsOn: [] },
  lola: { layer: 1, dependsOn: ['halco'] },
  fisch: { layer: 2, dependsOn: [] },
  stadls: { layer: 2, dependsOn: ['halco', 'lola', 'fisch'] },
  ppu: { layer: 2, dependsOn: ['halco', 'lola'] },
  'chip-sim': { layer: 3, dependsOn: ['halco', 'lola', 'fisch', 'ppu'] },
  hxcomm: {
    layer: 3,
    dependsOn: ['fisch'],
    entryOnly: { 'chip-sim': { files: /^src\/in-process/, entry: 'its in-process entry (src/in-process*)' } },
  },
  calibration: { layer: 4, dependsOn: ['halco', 'lola', 'stadls', 'hxcomm'] },
  routing: { layer: 4, dependsOn: ['halco', 'lola'] },
  execution: { layer: 4, dependsOn: ['halco', 'lola', 'stadls', 'hxcomm', 'routing', 'calibration', 'ppu'] },
  // Tensors and datasets shared by the training front ends, which must not import each other.
  tensor: { layer: 4, dependsOn: [] },
  pynn: { layer: 5, andBelow: 'execution' },
  spiking: { layer: 5, andBelow: 'execution', dependsOn: ['tensor'] },
  perceptron: { layer: 5, andBelow: 'execution', dependsOn: ['tensor'] },
  service: { layer: 6, anythingBelow: true },
  lab: { layer: 6, anythingBelow: true },
};

/** The packages `pkg` may import anywhere in its src/ (entry-only dependencies excluded). */
function allowedDependencies(pkg: string): ReadonlySet<string> {
  const rule = layers[pkg]!;
  if (rule.anythingBelow) return new Set(Object.keys(layers).filter((p) => layers[p]!.layer < rule.layer));
  if (rule.andBelow === undefined) return new Set(rule.dependsOn);
  const allowed = new Set<string>();
  const visit = (p: string): void => {
    if (allowed.has(p)) return;
    allowed.add(p);
    for (const next of allowedDependencies(p)) visit(next);
  };
  visit(rule.andBelow);
  for (const dep of rule.dependsOn ?? []) visit(dep);
  return allowed;
}

// What bench/ and examples/ may import on top of their package's dependencies: the bench toolkit and the
// in-process simulator to run against.
const BENCH_PACKAGE = 'bench';
const IN_PROCESS_ENTRY = '@bss2/hxcomm/in-process';
const SCANNED_FOLDERS = ['src', 'bench', 'examples'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.split(sep).includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

// Specifiers of import/export statements (line-anchored, so comments do not count), side-effect imports and
// dynamic `import('…')`; type-only ones included, since a type import is a dependency too.
const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

interface ImportSite {
  readonly specifier: string;
  /** A dynamic `import('…')`: loaded when the code runs, not when the module is. */
  readonly dynamic: boolean;
}

function importSpecifiers(text: string): ImportSite[] {
  return IMPORT_PATTERNS.flatMap((pattern, k) => [...text.matchAll(pattern)].map((m) => ({ specifier: m[1]!, dynamic: k === IMPORT_PATTERNS.length - 1 })));
}

// A front end (layer 5 and up) opens a simulated chip by default, and loads it only when it is used: a dynamic
// import of the in-process entry (issue 12: "pynn's default connection loads it lazily").
const LAZY_SIMULATOR_LAYER = 5;
// A front end describes the built-in chip's options with chip-sim's own schema: an entry that loads zod only.
const CHIP_OPTIONS_ENTRY = '@bss2/chip-sim/options';

interface Manifest {
  name: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifests = new Map<string, Manifest>();

function manifest(dir: string): Manifest {
  let m = manifests.get(dir);
  if (m === undefined) manifests.set(dir, (m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest));
  return m;
}

/** Workspace packages by name, from pnpm-workspace.yaml (plain folders and `folder/*` globs, as used here). */
function workspacePackages(): Map<string, string> {
  const workspaceFile = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...workspaceFile.matchAll(/^\s*-\s*"([^"]+)"/gm)].map((m) => m[1]!);
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    return readdirSync(parent).map((p) => join(parent, p));
  });
  const packages = dirs.filter((d) => existsSync(join(d, 'package.json')));
  return new Map(packages.map((d) => [manifest(d).name, d] as const));
}

const workspace = workspacePackages();

function workspaceDependencies(record: Record<string, string> | undefined): string[] {
  return Object.keys(record ?? {})
    .filter((name) => name.startsWith('@bss2/'))
    .map((name) => name.slice('@bss2/'.length));
}

/** What is wrong with one import in `pkg`'s `folder`: a path out of the package, a deep import, the layering, or a
 * package missing from package.json. */
function importViolations(pkg: string, folder: string, file: string, { specifier, dynamic }: ImportSite): string[] {
  const dir = join(root, 'packages', pkg);
  const where = `${relative(root, file)}: '${specifier}'`;
  if (specifier.startsWith('.')) {
    const inside = resolve(dirname(file), specifier).startsWith(dir + sep);
    return inside ? [] : [`${where} reaches outside ${pkg} by path; import the package by name`];
  }
  const match = /^@bss2\/([a-z0-9-]+)(?:\/(.*))?$/.exec(specifier);
  if (match === null) return [];
  const dep = match[1]!;
  const subpath = match[2];
  const violations: string[] = [];
  if (subpath !== undefined) {
    const targetDir = workspace.get(`@bss2/${dep}`);
    const entries = targetDir === undefined ? [] : Object.keys(manifest(targetDir).exports ?? {});
    if (!entries.includes(`./${subpath}`) || /^(dist|src)(\/|$)/.test(subpath)) {
      violations.push(`${where} is a deep import; use @bss2/${dep} or one of its declared entries`);
    }
  }
  if (dep === pkg) return violations;

  const rule = layers[pkg]!;
  const allowed = allowedDependencies(pkg);
  const benchOrExample = folder !== 'src';
  const entryOnly = rule.entryOnly?.[dep];
  const inProcessEntry = specifier === IN_PROCESS_ENTRY;
  let permitted: boolean;
  if (benchOrExample && (dep === BENCH_PACKAGE || inProcessEntry)) permitted = true;
  else if (inProcessEntry && dynamic && rule.layer >= LAZY_SIMULATOR_LAYER) permitted = allowed.has('hxcomm');
  else if (specifier === CHIP_OPTIONS_ENTRY && rule.layer >= LAZY_SIMULATOR_LAYER) permitted = true;
  else if (entryOnly !== undefined) permitted = entryOnly.files.test(relative(dir, file).split(sep).join('/'));
  // The in-process entry loads the simulator: importing it is depending on chip-sim as well.
  else if (inProcessEntry) permitted = allowed.has('hxcomm') && allowed.has('chip-sim');
  else permitted = allowed.has(dep);
  if (!permitted) {
    const list = [...allowed].sort().join(', ');
    const rather =
      entryOnly !== undefined
        ? `${dep} only in ${entryOnly.entry}`
        : inProcessEntry
          ? `no simulator (the in-process entry loads chip-sim; ${pkg} may import ${list})`
          : list !== ''
            ? `only ${list}`
            : 'no other package';
    violations.push(`${where} breaks the layering: ${pkg} (layer ${rule.layer}) may import ${rather}`);
  }

  const m = manifest(dir);
  const declared = benchOrExample ? { ...m.dependencies, ...m.devDependencies } : { ...m.dependencies };
  if (declared[`@bss2/${dep}`] === undefined) {
    const field = benchOrExample ? 'dependencies or devDependencies' : 'dependencies';
    violations.push(`${where} is missing from the ${field} of packages/${pkg}/package.json`);
  }
  return violations;
}

const layeredPackages = packageNames.filter((p) => layers[p] !== undefined);

describe('package layering (architecture.md, "Layers and packages")', () => {
  it.each(packageNames)('%s has a layer', (pkg) => {
    expect(layers[pkg], `${pkg} has no layer in architecture.md`).toBeDefined();
  });

  it.each(layeredPackages)('%s declares only dependencies its layer allows', (pkg) => {
    const rule = layers[pkg]!;
    const m = manifest(join(root, 'packages', pkg));
    const allowed = new Set([...allowedDependencies(pkg), ...Object.keys(rule.entryOnly ?? {})]);
    // Front ends load the simulator lazily and describe its options with its schema (see importViolations).
    if (rule.layer >= LAZY_SIMULATOR_LAYER) allowed.add('chip-sim');
    const runtime = [m.dependencies, m.peerDependencies, m.optionalDependencies].flatMap(workspaceDependencies);
    const violations = runtime.filter((dep) => !allowed.has(dep)).map((dep) => `dependencies: @bss2/${dep}`);
    // Tests and benchmarks may drive a lower layer directly (a simulated chip) and use the bench toolkit; never a
    // higher layer, which would also make the package graph cyclic.
    for (const dep of workspaceDependencies(m.devDependencies)) {
      const lower = layers[dep] !== undefined && layers[dep]!.layer < rule.layer;
      if (!allowed.has(dep) && !lower && dep !== BENCH_PACKAGE) violations.push(`devDependencies: @bss2/${dep}`);
    }
    const list = [...allowed].sort().join(', ') || 'nothing';
    expect(violations, `packages/${pkg}/package.json: ${pkg} may depend on ${list}`).toEqual([]);
  });

  it.each(layeredPackages)('%s imports only what its layer allows, by package name and declared entry', (pkg) => {
    const violations = SCANNED_FOLDERS.flatMap((folder) =>
      sourceFiles(join(root, 'packages', pkg, folder)).flatMap((file) =>
        importSpecifiers(readFileSync(file, 'utf8')).flatMap((spec) => importViolations(pkg, folder, file, spec)),
      ),
    );
    expect(violations).toEqual([]);
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
