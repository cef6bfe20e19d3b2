// parseExperiment: an experiment file (parsed JSON) → a checked Experiment with defaults filled in, or an
// ExperimentError listing every issue by its JSON path.
import type * as z from 'zod';
import type { ReceptorType } from '../cells.js';
import { defaultProjectionLabel } from './checks.js';
import { ExperimentError } from './errors.js';
import { PARSE_OPTIONS, experimentIssues } from './issues.js';
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
 */
export function parseExperiment(json: unknown, source?: string): Experiment {
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
