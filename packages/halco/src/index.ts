export * from './errors.js';
export * from './coordinate.js';
export * from './hemisphere.js';
export * from './neuron.js';
export * from './registry.js';
