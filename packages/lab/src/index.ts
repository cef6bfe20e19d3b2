// @bss2/lab: the browser lab's pages and experiments as plain TypeScript (the site under site/ renders them; the
// same builders, runner and code generator run in Node).
export { LabError, LabParameterError, LabRequestError } from './errors.js';
export type { ChainSettings, StdpSettings, StpSettings, LabExperiment, LabRaster, LabResults, LabSeries, LabTrace, PspHeights } from './experiment.js';
export {
  pages,
  pageById,
  defaultValues,
  checkedValues,
  singleNeuronPage,
  adexPage,
  pspPage,
  chainPage,
  weightsPage,
  editorPage,
  stdpPage,
  stdpSchedule,
  STDP_GAP_MS,
  STDP_WINDOW_DTS_MS,
  NAUD_PATTERNS,
  type Control,
  type ControlledPage,
  type ControlValues,
  type LabPage,
  type RangeControl,
  type SelectControl,
} from './pages.js';
export { runLabExperiment, fromExperimentResults, pspHeights, type ProgressHandler } from './runner.js';
export { experimentCode, fileCode, chainCode, literal } from './codegen.js';
export { stdpCode, stpCode } from './codegen-plasticity.js';
export { runStdp, runStp, stdpSeries, stpSeries, trainPspHeights } from './plasticity-runner.js';
export { serializeError, type SerializedError, type TrainingRequest, type TrainingResponse, type WorkerRequest, type WorkerResponse } from './protocol.js';
export {
  yinYangPage,
  yinYangSettings,
  yinYangCode,
  experimentOptionsOf,
  trainingOptionsOf,
  chipEntries,
  CHIP_ENTRY_BUDGET,
  type DecisionMap,
  type TrainingChip,
  type TrainingEpoch,
  type YinYangResults,
  type YinYangSettings,
} from './training-page.js';
export { runYinYangTraining, classifyTestPoints, type TrainingProgress } from './training.js';
