import { Coordinate, type CoordinateType } from './coordinate.js';
import { CoordinateParseError } from './errors.js';
import * as hemisphere from './hemisphere.js';
import * as neuron from './neuron.js';
import * as neuronBackend from './neuron-backend.js';
import * as logicalNeuron from './logical-neuron.js';
import * as synapse from './synapse.js';
import * as synapseQuad from './synapse-quad.js';
import * as synapseDriver from './synapse-driver.js';
import * as padi from './padi.js';
import * as crossbar from './crossbar.js';
import * as backgroundSpikeSource from './background-spike-source.js';
import * as spikeLabel from './spike-label.js';
import * as capmem from './capmem.js';
import * as cadc from './cadc.js';
import * as readout from './readout.js';
import * as ppu from './ppu.js';
import * as fpga from './fpga.js';

// Every inventory module; a coordinate type is registered under its `typeName` when the exported class
// carries that name, so factory base classes never shadow the exported subclass.
const inventoryModules: ReadonlyArray<Record<string, unknown>> = [
  hemisphere,
  neuron,
  neuronBackend,
  logicalNeuron,
  synapse,
  synapseQuad,
  synapseDriver,
  padi,
  crossbar,
  backgroundSpikeSource,
  spikeLabel,
  capmem,
  cadc,
  readout,
  ppu,
  fpga,
];

let registry: Map<string, CoordinateType> | undefined;

/** Every exported coordinate type by name. */
export function coordinateTypes(): ReadonlyMap<string, CoordinateType> {
  if (registry === undefined) {
    registry = new Map();
    for (const module of inventoryModules) {
      for (const [exportName, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Coordinate)) continue;
        const type = value as unknown as CoordinateType;
        if (type.typeName !== exportName) continue;
        if (registry.has(exportName)) throw new Error(`coordinate type ${exportName} exported twice`);
        registry.set(exportName, type);
      }
    }
  }
  return registry;
}

/** Parses any coordinate printed by `toString`, looking its type up by name. */
export function parseCoordinate(text: string): Coordinate {
  const match = /^\s*([A-Za-z0-9_]+)\(/.exec(text);
  const type = match?.[1] === undefined ? undefined : coordinateTypes().get(match[1]);
  if (type === undefined) {
    throw new CoordinateParseError(text, 'Type(<enum>) with a known halco type name');
  }
  return (type as unknown as typeof Coordinate).parse.call(type, text);
}
