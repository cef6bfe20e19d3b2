export { BestOf, type InstanceMeasurement, type Search, type SearchOutcome, type SearchProblem } from './search.js';
export { BinarySearch, NoisyBinarySearch, type BinarySearchOptions, type NoisyBinarySearchOptions } from './binary-search.js';
export { LinearSearch, type LinearSearchOptions } from './linear-search.js';
export { LinearPrediction, type LinearPredictionOptions } from './linear-prediction.js';
export { fitExponential, type ExponentialFit, type ExponentialFitOptions } from './exponential-fit.js';
