// Fuzzes experiment files and the PyNN API (architecture.md "Errors"): every case must end in a result or a
// typed error of the stack (PyNNError and its ExperimentError, RoutingError, CalibrationError, ExecutionError)
// within its time limit. Anything else (a TypeError, a RangeError, a case over the limit) is a finding, shown
// with the case seed that reproduces it (`--case-seed`).
//
//   npx tsx tools/fuzz/experiments.ts --cases 10000 --seed 1
import { CalibrationError } from '@bss2/calibration';
import { ExecutionError } from '@bss2/execution';
import { PyNNError, parseExperiment, runExperiment, type Experiment } from '@bss2/pynn';
import { RoutingError } from '@bss2/routing';
import { Presets, SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { pathToFileURL } from 'node:url';
import { playSequence, randomSequence, type ApiStep } from './api-sequences.js';
import { MAX_RUN_MS, fixtureDocuments, mutateDocument, randomDocument, type Profile } from './experiment-inputs.js';
import { Random } from './fuzz-inputs.js';

export type CaseKind = 'mutated-fixture' | 'mutated-random' | 'random-document' | 'api-sequence';
const KINDS: readonly CaseKind[] = ['mutated-fixture', 'mutated-random', 'random-document', 'api-sequence'];

/** The error roots a case may end in: one hierarchy per package (style.md, "Errors"). */
const TYPED_ROOTS = [PyNNError, RoutingError, CalibrationError, ExecutionError] as const;

export type Outcome = 'result' | 'typed' | 'untyped' | 'hang';

export interface ExperimentFuzzOptions {
  cases: number;
  seed: number;
  /** A case that takes more CPU time than this is a hang finding (default 10 000 ms; CPU time, not wall time, so
   * that a loaded machine does not make findings). Cases run in-process: the check is after the case. */
  caseTimeoutMs?: number;
  /** Edge-value bounds (default `bounded`; `extreme` adds the sizes whose limits are in progress). */
  profile?: Profile;
  /** Called after every case (progress bars). */
  onCase?: (index: number) => void;
}

export interface ExperimentFinding {
  /** Reproduces the case alone: `--case-seed <seed>`. */
  seed: number;
  case: number;
  kind: CaseKind;
  outcome: Exclude<Outcome, 'result' | 'typed'>;
  /** `Name: message` of the error, or the elapsed time of a hang. */
  error: string;
  /** The document or call sequence, as JSON with NaN and ±Infinity spelled out, shortened to 2000 characters. */
  input: string;
}

export interface ExperimentFuzzSummary {
  cases: number;
  seed: number;
  profile: Profile;
  duration_s: number;
  cases_per_s: number;
  byKind: Record<CaseKind, number>;
  outcomes: Record<Outcome, number>;
  /** Typed errors by class name (ExperimentError, ParameterError, UnsuccessfulRouting, …). */
  typedErrors: Record<string, number>;
  /** The slowest case (CPU ms of this process, and wall ms), and its seed. */
  slowest: { ms: number; wall_ms: number; seed: number };
  findings: ExperimentFinding[];
}

/** A case's seed from the run's seed and its index: any case can be replayed without the ones before it. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e37_79b9, 0x85eb_ca6b) + Math.imul(index + 1, 0xc2b2_ae35)) >>> 0;
}

export interface ExperimentCase {
  kind: CaseKind;
  document?: unknown;
  steps?: ApiStep[];
}

/** The input of one case, from its seed alone. */
export function experimentCase(seed: number, profile: Profile = 'bounded'): ExperimentCase {
  const random = new Random(seed);
  const kind = KINDS[random.below(KINDS.length)]!;
  switch (kind) {
    case 'mutated-fixture':
      return { kind, document: mutateDocument(random, random.pick(fixtureDocuments()), profile) };
    case 'mutated-random':
      return { kind, document: mutateDocument(random, randomDocument(random), profile) };
    case 'random-document':
      return { kind, document: randomDocument(random) };
    default:
      return { kind, steps: randomSequence(random, profile) };
  }
}

/** The experiment with every run shortened to MAX_RUN_MS: a mutated duration tests the parser, not our patience. */
function bounded(experiment: Experiment): Experiment {
  return { ...experiment, schedule: experiment.schedule.map((step) => ('run' in step && step.run > MAX_RUN_MS ? { run: MAX_RUN_MS } : step)) };
}

/** Runs one case; resolves to the error it threw, or undefined for a result. */
export async function playCase(input: ExperimentCase): Promise<unknown> {
  try {
    if (input.steps !== undefined) await playSequence(input.steps);
    // Nominal calibration whatever the file says: measuring the chip takes seconds per case.
    else await runExperiment(bounded(parseExperiment(input.document, 'fuzz case')), { calibration: 'nominal' });
    return undefined;
  } catch (error) {
    return error ?? new Error(`a case threw ${String(error)}`);
  }
}

export function isTyped(error: unknown): boolean {
  return TYPED_ROOTS.some((root) => error instanceof root);
}

/** JSON with NaN, ±Infinity and -0 visible (JSON.stringify shows them as null or 0). */
export function showInput(input: ExperimentCase, limit = 2000): string {
  const text = JSON.stringify(input.steps ?? input.document, (_key, value: unknown) =>
    typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)) ? `<${Object.is(value, -0) ? '-0' : String(value)}>` : value,
  ) ?? 'undefined';
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n').slice(0, 4).join(' ').slice(0, 500)}`;
  return `non-Error thrown: ${String(error)}`;
}

export async function runExperimentFuzz(options: ExperimentFuzzOptions): Promise<ExperimentFuzzSummary> {
  const { cases, seed } = options;
  const caseTimeoutMs = options.caseTimeoutMs ?? 10_000;
  const profile = options.profile ?? 'bounded';
  const summary: ExperimentFuzzSummary = {
    cases,
    seed,
    profile,
    duration_s: 0,
    cases_per_s: 0,
    byKind: { 'mutated-fixture': 0, 'mutated-random': 0, 'random-document': 0, 'api-sequence': 0 },
    outcomes: { result: 0, typed: 0, untyped: 0, hang: 0 },
    typedErrors: {},
    slowest: { ms: 0, wall_ms: 0, seed: 0 },
    findings: [],
  };
  const start = performance.now();
  for (let index = 0; index < cases; index++) {
    const seedOfCase = caseSeed(seed, index);
    const input = experimentCase(seedOfCase, profile);
    summary.byKind[input.kind]++;
    const caseStart = performance.now();
    const cpuStart = process.cpuUsage();
    const error = await playCase(input);
    // The bound is on the CPU time the case takes, not on wall time: on a shared, loaded machine the wall time
    // of the same work varies several-fold, and a runaway case burns CPU either way.
    const cpu = process.cpuUsage(cpuStart);
    const elapsed_ms = (cpu.user + cpu.system) / 1000;
    const wall_ms = performance.now() - caseStart;
    if (elapsed_ms > summary.slowest.ms) summary.slowest = { ms: Math.round(elapsed_ms), wall_ms: Math.round(wall_ms), seed: seedOfCase };
    const finding = (outcome: 'untyped' | 'hang', text: string) =>
      summary.findings.push({ seed: seedOfCase, case: index, kind: input.kind, outcome, error: text, input: showInput(input) });
    // A slow case is a hang whatever it ended in: a limit that holds only after seconds does not hold.
    if (elapsed_ms > caseTimeoutMs) {
      summary.outcomes.hang++;
      finding('hang', `${Math.round(elapsed_ms)} ms of CPU (${Math.round(wall_ms)} ms wall) > ${caseTimeoutMs} ms, then ${error === undefined ? 'a result' : describe(error)}`);
    } else if (error === undefined) {
      summary.outcomes.result++;
    } else if (isTyped(error)) {
      summary.outcomes.typed++;
      const name = (error as Error).name;
      summary.typedErrors[name] = (summary.typedErrors[name] ?? 0) + 1;
    } else {
      summary.outcomes.untyped++;
      finding('untyped', describe(error));
    }
    options.onCase?.(index);
  }
  summary.duration_s = Math.round(performance.now() - start) / 1000;
  summary.cases_per_s = Math.round((cases / Math.max(summary.duration_s, 1e-9)) * 10) / 10;
  return summary;
}

async function main(): Promise<void> {
  const integer = (v: string) => Number.parseInt(v, 10);
  const program = new Command('experiments')
    .description('fuzz experiment files and the PyNN API: every case must end in a result or a typed error within its time limit')
    .option('--cases <n>', 'number of cases', integer, 10_000)
    .option('--seed <s>', 'seed of the run; case i uses caseSeed(seed, i)', integer, 1)
    .option('--case-seed <s>', 'run the one case of this seed and print its input and outcome', integer)
    .option('--case-timeout-ms <ms>', 'a case taking more CPU time than this is a hang finding', integer, 10_000)
    .addOption(new Option('--profile <p>', 'edge-value bounds').choices(['bounded', 'extreme']).default('bounded'))
    .parse();
  const options = program.opts<{ cases: number; seed: number; caseSeed?: number; caseTimeoutMs: number; profile: Profile }>();
  for (const name of ['cases', 'seed', 'caseTimeoutMs', 'caseSeed'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) program.error(`--${name}: expected a non-negative integer, got ${value}`);
  }
  if (options.caseSeed !== undefined) {
    const input = experimentCase(options.caseSeed, options.profile);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const error = await playCase(input);
    const cpu = process.cpuUsage(cpuStart);
    const outcome = error === undefined ? 'result' : isTyped(error) ? 'typed' : 'untyped';
    console.log(JSON.stringify({ seed: options.caseSeed, kind: input.kind, outcome, cpu_ms: Math.round((cpu.user + cpu.system) / 1000), ms: Math.round(performance.now() - start), error: error === undefined ? undefined : describe(error), input: showInput(input, Infinity) }));
    if (error !== undefined && !isTyped(error)) console.error(error);
    return;
  }
  const { cases, seed, caseTimeoutMs, profile } = options;
  // A progress bar on a terminal only: stdout stays one JSON line for scripts.
  const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, etaBuffer: 1000 }, Presets.shades_classic) : undefined;
  bar?.start(cases, 0);
  const summary = await runExperimentFuzz({ cases, seed, caseTimeoutMs, profile, onCase: (index) => index % 50 === 49 && bar?.update(index + 1) });
  bar?.update(cases);
  bar?.stop();
  console.log(JSON.stringify(summary));
  process.exitCode = summary.findings.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
