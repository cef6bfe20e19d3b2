import { Coordinate, type CoordinateType } from './coordinate.js';
import { CoordinateParseError } from './errors.js';
import * as hemisphere from './hemisphere.js';
import * as neuron from './neuron.js';

// Every inventory module; a coordinate type is registered under its `typeName` when the exported class
// carries that name, so factory base classes never shadow the exported subclass.
const inventoryModules: ReadonlyArray<Record<string, unknown>> = [hemisphere, neuron];

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
