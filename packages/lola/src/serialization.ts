import { Packr } from 'msgpackr';
import { type Container, containerFromJSON } from './container.js';
import { ContainerSerializationError } from './errors.js';

// Plain maps, no msgpackr records: the bytes stay readable by any msgpack implementation.
const packr = new Packr({ useRecords: false, moreTypes: false });

/** msgpack bytes of a container (its `toJSON()` form). */
export function containerToMsgpack(container: Container): Uint8Array {
  return packr.pack(container.toJSON());
}

/** Inverse of `containerToMsgpack`. */
export function containerFromMsgpack(bytes: Uint8Array): Container {
  let json: unknown;
  try {
    json = packr.unpack(bytes);
  } catch (error) {
    throw new ContainerSerializationError(`invalid msgpack: ${(error as Error).message}`);
  }
  return containerFromJSON(json);
}
