export { nirArray, type NIRArray, type NIRDType } from './array.js';
export type { NIREventData, NIRGraphData, NIRNodeData, NIRObservable, NIRTimeGriddedData, NIRValuedEventData } from './data.js';
export { NIRError, NIRFormatError } from './errors.js';
export {
  nirNodeParameters,
  nirParameterDefaults,
  type NIRAffine,
  type NIRCubaLI,
  type NIRCubaLIF,
  type NIRGraph,
  type NIRGroupValue,
  type NIRI,
  type NIRIF,
  type NIRInput,
  type NIRLI,
  type NIRLIF,
  type NIRLinear,
  type NIRMetadata,
  type NIRNode,
  type NIROutput,
  type NIRParameterNode,
  type NIRParameterNodeType,
  type NIRScale,
  type NIRStringArray,
  type NIRSubgraph,
  type NIRThreshold,
  type NIRUnknownNode,
  type NIRValue,
} from './graph.js';
export { NIR_FORMAT_VERSION, readNIR, readNIRData, readNIRFile, writeNIR, writeNIRData, type NIRFile } from './hdf5.js';
