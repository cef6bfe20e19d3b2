// Messages between the page and its Web Worker (structured-clone data only).
import type { LabExperiment, LabResults } from './experiment.js';
import type { TrainingEpoch, YinYangResults, YinYangSettings } from './training-page.js';

export type WorkerRequest =
  /** Run an experiment; the worker answers with progress messages, then `result` or `error`. */
  | { readonly id: number; readonly type: 'run'; readonly experiment: LabExperiment }
  /** Check an experiment file's text (the editor, as the user types); the worker answers `issues`. */
  | { readonly id: number; readonly type: 'validate'; readonly text: string };

export type WorkerResponse =
  | { readonly id: number; readonly type: 'ready' }
  | { readonly id: number; readonly type: 'progress'; readonly step: string; readonly fraction: number }
  | { readonly id: number; readonly type: 'result'; readonly results: LabResults }
  | { readonly id: number; readonly type: 'issues'; readonly issues: readonly { readonly path: string; readonly message: string }[] }
  | { readonly id: number; readonly type: 'error'; readonly error: SerializedError };

/** The training worker's one request (it is terminated to stop a run, and a new one started for the next). */
export type TrainingRequest = { readonly id: number; readonly type: 'train'; readonly settings: YinYangSettings };

export type TrainingResponse =
  | { readonly id: number; readonly type: 'batch'; readonly epoch: number; readonly batch: number; readonly batches: number; readonly loss: number }
  | { readonly id: number; readonly type: 'epoch'; readonly report: TrainingEpoch }
  | { readonly id: number; readonly type: 'evaluating' }
  /** The results and the trained network as NIR (HDF5 bytes, transferred). */
  | { readonly id: number; readonly type: 'trained'; readonly results: YinYangResults; readonly nir: Uint8Array }
  | { readonly id: number; readonly type: 'error'; readonly error: SerializedError };

/** An error as it crosses postMessage: its class name, message and (experiment files) path-pointed issues. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const issues = (error as { issues?: unknown }).issues;
    return {
      name: error.name,
      message: error.message,
      ...(Array.isArray(issues) ? { issues: issues.map((i: { path?: unknown; message?: unknown }) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') })) } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
