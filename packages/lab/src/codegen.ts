// The TypeScript of an experiment, as a user would write it with @bss2/pynn: generated from the same LabExperiment
// the page runs, so copying it reproduces the page's results (test/codegen.test.ts runs it and compares). Pure
// string building, no pynn at run time: the page's main thread shows it without loading the stack.
import type { ExperimentFile } from '@bss2/pynn';
import { stdpCode, stpCode } from './codegen-plasticity.js';
import type { ChainSettings, LabExperiment } from './experiment.js';

type File = ExperimentFile;
type PopulationEntry = File['populations'][number];
type ProjectionEntry = NonNullable<File['projections']>[number];
type Neurons = ProjectionEntry['pre'];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['pynn', 'data', 'block', 'segment', 'train', 'label', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'let', 'new', 'null', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield']);

/** A key of an object literal; `__proto__` computed, since `{ __proto__: x }` would set the prototype instead. */
function propertyKey(key: string): string {
  if (key === '__proto__') return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** A TypeScript literal of a JSON-like value on one line: `{ tau_m: 10, spike_times: [1, 2] }`. */
export function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(value);
}

/** Variable names for labels: camelCase identifiers, unique, never a keyword or one the code uses itself. */
class Names {
  private readonly taken = new Set<string>();
  readonly byLabel = new Map<string, string>();

  add(label: string, fallback: string): string {
    const words = label.split(/[^A-Za-z0-9_$]+/).filter((w) => w !== '');
    let base = words.map((w, k) => (k === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
    if (!IDENTIFIER.test(base) || RESERVED.has(base)) base = /^[0-9]/.test(base) ? `${fallback}${base}` : fallback;
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}${k}`;
    this.taken.add(name);
    this.byLabel.set(label, name);
    return name;
  }
}

function group(ref: Neurons | { population: string; indices?: readonly number[] | undefined; slice?: readonly [number, number] | undefined }, names: Names): string {
  if (typeof ref === 'string') return names.byLabel.get(ref) ?? ref;
  if (Array.isArray(ref)) return `new pynn.Assembly(${ref.map((label: string) => names.byLabel.get(label) ?? label).join(', ')})`;
  const view = ref as { population: string; indices?: readonly number[]; slice?: readonly [number, number] };
  const population = names.byLabel.get(view.population) ?? view.population;
  return view.slice !== undefined ? `${population}.slice(${view.slice[0]}, ${view.slice[1]})` : `${population}.view(${literal(view.indices)})`;
}

function connector(spec: ProjectionEntry['connector']): string {
  const options: Record<string, unknown> = {};
  if ('allowSelfConnections' in spec && spec.allowSelfConnections !== undefined) options.allowSelfConnections = spec.allowSelfConnections;
  if ('withReplacement' in spec && spec.withReplacement !== undefined) options.withReplacement = spec.withReplacement;
  const parts = Object.entries(options).map(([k, v]) => `${k}: ${literal(v)}`);
  if ('seed' in spec && spec.seed !== undefined) parts.push(`rng: new pynn.NumpyRNG({ seed: ${spec.seed} })`);
  const opts = parts.length === 0 ? '' : `{ ${parts.join(', ')} }`;
  const args = (...first: string[]) => [...first, ...(opts === '' ? [] : [opts])].join(', ');
  switch (spec.type) {
    case 'AllToAll':
      return `new pynn.AllToAllConnector(${args()})`;
    case 'OneToOne':
      return 'new pynn.OneToOneConnector()';
    case 'FixedProbability':
      return `new pynn.FixedProbabilityConnector(${args(String(spec.p))})`;
    case 'FixedNumberPre':
      return `new pynn.FixedNumberPreConnector(${args(String(spec.n))})`;
    case 'FixedNumberPost':
      return `new pynn.FixedNumberPostConnector(${args(String(spec.n))})`;
    case 'FixedTotalNumber':
      return `new pynn.FixedTotalNumberConnector(${args(String(spec.n))})`;
    case 'FromList':
      return `new pynn.FromListConnector(${literal(spec.connections.map((entry) => entry.filter((x) => x !== undefined)))})`;
    case 'Array':
      return `new pynn.ArrayConnector(${literal(spec.matrix)})`;
  }
}

function recordLines(population: PopulationEntry, name: string): string[] {
  const common = population.samplingInterval === undefined ? {} : { samplingInterval: population.samplingInterval };
  return (population.record ?? []).map((entry) => {
    if (typeof entry === 'string') return `${name}.record(${literal(entry)}${population.samplingInterval === undefined ? '' : `, ${literal(common)}`});`;
    const options = { ...common, ...(entry.device === undefined ? {} : { device: entry.device }), ...(entry.samplingInterval === undefined ? {} : { samplingInterval: entry.samplingInterval }) };
    const target = entry.slice !== undefined ? `${name}.slice(${entry.slice[0]}, ${entry.slice[1]})` : entry.indices !== undefined ? `${name}.view(${literal(entry.indices)})` : name;
    return `${target}.record(${literal(entry.variables)}${Object.keys(options).length === 0 ? '' : `, ${literal(options)}`});`;
  });
}

const dataLines = (recorded: readonly [string, string][]): string[] => [
  '',
  '// The recorded data by population label (neo-like blocks: segments → spiketrains, analogsignals).',
  `export const data = { ${recorded.map(([label, name]) => `${propertyKey(label)}: ${name}.getData()`).join(', ')} };`,
  'for (const [label, block] of Object.entries(data)) {',
  '  for (const segment of block.segments) {',
  '    for (const train of segment.spiketrains) console.log(`${label}[${train.annotations.source_index}] spikes (ms):`, Array.from(train.times).join(\', \'));',
  '  }',
  '}',
  'await pynn.end();',
];

/** The pynn TypeScript of an experiment file: setup, populations, recording, projections, the schedule, the data. */
export function fileCode(title: string, file: File): string {
  const names = new Names();
  const lines = [`// ${title}: generated by the bss2 lab. Run it with \`npx tsx experiment.ts\` in a project that depends on @bss2/pynn.`, "import * as pynn from '@bss2/pynn';", ''];
  lines.push(`pynn.setup(${literal(file.setup ?? {})});`);
  for (const population of file.populations) {
    const name = names.add(population.label, 'population');
    lines.push(`const ${name} = new pynn.Population(${population.size}, new pynn.${population.cellType}(${population.parameters === undefined ? '' : literal(population.parameters)}), { label: ${literal(population.label)} });`);
    lines.push(...recordLines(population, name));
  }
  const projections = new Map<string, string>();
  for (const [k, projection] of (file.projections ?? []).entries()) {
    const label = projection.label ?? `projection ${k}`;
    const name = names.add(label, 'projection');
    projections.set(label, name);
    const synapse = projection.synapse === undefined ? '' : literal(projection.synapse);
    lines.push(
      `const ${name} = new pynn.Projection(${group(projection.pre, names)}, ${group(projection.post, names)}, ${connector(projection.connector)}, new pynn.StaticSynapse(${synapse}), ${literal(projection.receptorType ?? 'excitatory')}${projection.label === undefined ? '' : `, { label: ${literal(projection.label)} }`});`,
    );
  }
  lines.push('');
  for (const step of file.schedule ?? [{ run: file.duration_ms! }]) {
    if ('run' in step) lines.push(`await pynn.run(${step.run});`);
    else if ('reset' in step) lines.push('pynn.reset();');
    else if ('set' in step) lines.push(`${group(step.set.population as Neurons, names)}.set(${literal(step.set.parameters)});`);
    else lines.push(`${projections.get(step.setWeights.projection) ?? step.setWeights.projection}.set({ weight: ${literal(step.setWeights.weight)} });`);
  }
  const recorded = file.populations.filter((p) => (p.record ?? []).length > 0).map((p) => [p.label, names.byLabel.get(p.label)!] as [string, string]);
  lines.push(...dataLines(recorded));
  return `${lines.join('\n')}\n`;
}

/** The pynn TypeScript of the dendritic chain (the page's runner does the same, runner.ts). */
export function chainCode(title: string, s: ChainSettings): string {
  const lines = [
    `// ${title}: generated by the bss2 lab. Run it with \`npx tsx experiment.ts\` in a project that depends on @bss2/pynn.`,
    "import * as pynn from '@bss2/pynn';",
    '',
    `pynn.setup({ chipSeed: ${s.chipSeed}, idealChip: true, calibration: 'nominal' });`,
    `const compartmentCount = ${s.compartments};`,
    '// Compartment n on circuits 2n, 2n + 1 of row 0; circuit 2n on the shared line (n > 0), 2n + 1 joined to it.',
    'const compartments: pynn.PlacedCompartment[] = [];',
    'const connections: pynn.SharedLineConnection[] = [];',
    'for (let n = 0; n < compartmentCount; n++) {',
    '  const first = 2 * n;',
    '  const last = n === compartmentCount - 1;',
    `  compartments.push(new pynn.PlacedCompartment({ positions: [first, first + 1], label: \`comp\${n}\`, connectSharedLine: n > 0 ? [first] : [], connectConductance: last ? [] : [[first + 1, ${s.conductance_lsb}]] }));`,
    '  if (!last) connections.push(new pynn.SharedLineConnection({ start: first + 1, stop: first + 2, row: 0 }));',
    '}',
    "const Chain = pynn.createMcNeuron('Chain', { compartments, connections, singleActiveCircuit: true });",
    'const chain = new pynn.Population(1, new Chain({',
    `  leak_i_bias: Array.from({ length: compartmentCount }, () => [${s.leak_lsb}, 0]),`,
    '  leak_v_leak: 500,',
    '  membrane_capacitance_capacitance: Array.from({ length: compartmentCount }, () => [63, 0]),',
    '  excitatory_input_enable: true,',
    '  excitatory_input_i_bias_tau: 100,',
    '  excitatory_input_i_bias_gm: 500,',
    "}), { label: 'chain' });",
    `const input = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [${s.input_ms}] }), { label: 'input' });`,
    `new pynn.Projection(input, chain, new pynn.AllToAllConnector({ locationSelector: 'comp${s.inputCompartment}' }), new pynn.StaticSynapse({ weight: 63 }));`,
    '',
    '// The MADC records two compartments at a time: one run per pair, separated by resets.',
    'export const data: pynn.AnalogSignal[] = [];',
    'for (let pair = 0; pair < compartmentCount; pair += 2) {',
    '  if (pair > 0) pynn.reset();',
    '  chain.record(null);',
    "  chain.record('v', { locations: [`comp${pair}`, ...(pair + 1 < compartmentCount ? [`comp${pair + 1}`] : [])] });",
    `  await pynn.run(${s.run_ms});`,
    "  data.push(...chain.getData('v').segments.at(-1)!.analogsignals);",
    '}',
    "for (const signal of data) console.log(`${signal.annotations.source_location}: peak ${Math.max(...signal.values)} LSB`);",
    'await pynn.end();',
  ];
  return `${lines.join('\n')}\n`;
}

/** The TypeScript of `experiment` (either kind). */
export function experimentCode(experiment: LabExperiment): string {
  switch (experiment.kind) {
    case 'file':
      return fileCode(experiment.title, experiment.file);
    case 'chain':
      return chainCode(experiment.title, experiment.chain);
    case 'stp':
      return stpCode(experiment.title, experiment.stp);
    case 'stdp':
      return stdpCode(experiment.title, experiment.stdp);
  }
}
