// parseExperiment: an experiment file (parsed JSON, or its text with parseExperimentText) → a checked Experiment with defaults filled in, or an
// ExperimentError listing every issue by its JSON path.
import type * as z from 'zod';
import type { ReceptorType } from '../cells.js';
import { defaultProjectionLabel } from './checks.js';
import { ExperimentError } from './errors.js';
import { PARSE_OPTIONS, experimentIssues } from './issues.js';
import { EXPERIMENT_LIMITS, type ExperimentLimits, sizeIssue, textDepthIssue, valueDepthIssue } from './limits.js';
import { experimentSchema, type populationSchema, type projectionSchema, type scheduleStepSchema, type setupSchema } from './schema.js';

export type ExperimentSetup = z.output<typeof setupSchema>;
export type ExperimentPopulation = z.output<typeof populationSchema>;
export type ExperimentProjection = z.output<typeof projectionSchema> & { readonly label: string; readonly receptorType: ReceptorType };
export type ScheduleStep = z.output<typeof scheduleStepSchema>;

/** A checked experiment: every projection labelled, the schedule explicit (`duration_ms` became one run). */
export interface Experiment {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly setup: ExperimentSetup;
  readonly populations: readonly ExperimentPopulation[];
  readonly projections: readonly ExperimentProjection[];
  readonly schedule: readonly ScheduleStep[];
}

/**
 * Checks `json` (an experiment file's parsed content) against the format and its cross-field rules. Throws
 * ExperimentError with every issue (`populations[1].record[0]: …`); `source` names the file in its message.
 * Nesting deeper than `limits.maxDepth` is refused before anything walks the value.
 */
export function parseExperiment(json: unknown, source?: string, limits: ExperimentLimits = EXPERIMENT_LIMITS): Experiment {
  const tooDeep = valueDepthIssue(json, limits);
  if (tooDeep !== undefined) throw new ExperimentError([tooDeep], source);
  const parsed = experimentSchema.safeParse(json, PARSE_OPTIONS);
  if (!parsed.success) throw new ExperimentError(experimentIssues(parsed.error), source);
  const file = parsed.data;
  return {
    ...(file.name === undefined ? {} : { name: file.name }),
    ...(file.description === undefined ? {} : { description: file.description }),
    setup: file.setup ?? {},
    populations: file.populations,
    projections: (file.projections ?? []).map((projection, i) => ({ ...projection, label: projection.label ?? defaultProjectionLabel(i), receptorType: projection.receptorType ?? 'excitatory' })),
    schedule: file.schedule ?? [{ run: file.duration_ms! }],
  };
}

/**
 * An experiment file's text → a checked Experiment: its size and nesting are checked before it is parsed (an
 * ExperimentError, not a stack overflow or an allocation of gigabytes), then parseExperiment.
 */
export function parseExperimentText(text: string, source?: string, limits: ExperimentLimits = EXPERIMENT_LIMITS): Experiment {
  if (typeof text !== 'string') throw new ExperimentError([{ path: '', message: `expected the file's text, got ${typeof text}` }], source);
  const issue = sizeIssue(text, limits) ?? textDepthIssue(text, limits);
  if (issue !== undefined) throw new ExperimentError([issue], source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExperimentError([{ path: '', message: `not JSON: ${(error as Error).message}` }], source);
  }
  return parseExperiment(json, source, limits);
}
