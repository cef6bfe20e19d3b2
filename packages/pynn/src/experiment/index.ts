// Experiment files: a JSON description of setup, populations, projections and schedule (schema.ts), checked
// with path-pointed errors (parse.ts), run through the pynn API (run.ts), plotted as SVG (plot.ts).
export { ExperimentError, type ExperimentIssue } from './errors.js';
export { parseExperiment, parseExperimentText, type Experiment, type ExperimentSetup, type ExperimentPopulation, type ExperimentProjection, type ScheduleStep } from './parse.js';
export { EXPERIMENT_LIMITS, type ExperimentLimits } from './limits.js';
export { experimentSchema, experimentJsonSchema, type ExperimentFile } from './schema.js';
export { cellTypeNames, type CellTypeName } from './cell-types.js';
export { runExperiment, resultsToJSON, type RunExperimentOptions } from './run.js';
export type { ExperimentResults, SegmentResults, PopulationResults, SignalResults, PopulationSummary, JsonValue } from './results.js';
export { rasterPlot, tracePlot, signalCount, signalPlot, type SignalPanel, type TraceSignal } from './plot.js';
