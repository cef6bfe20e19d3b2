// The base of every layer: it belongs to one experiment, and calling it records an edge of the experiment's
// graph (the reference's HXModule); `run` executes the graph.
import { ModuleMisuseError } from './errors.js';
import type { Experiment } from './experiment.js';
import type { Handle } from './handles.js';

export abstract class Module {
  /** A unique name within the experiment: the population or projection name on the chip. */
  readonly name: string;
  constructor(
    readonly experiment: Experiment,
    kind: string,
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new ModuleMisuseError(`${kind}: the size is a whole number ≥ 1, got ${String(size)}`, { module: kind, parameter: 'size', value: size });
    this.name = experiment.register(this, kind);
  }

  /** Handles given to a call must come from modules of the same experiment. */
  protected checkInput(handle: Handle, what: string): void {
    if (handle === null || typeof handle !== 'object' || !('producer' in handle)) throw new ModuleMisuseError(`${this.name}: ${what} is no handle of a module call`, { module: this.name, value: handle });
    if (handle.producer.experiment !== this.experiment) {
      throw new ModuleMisuseError(`${this.name}: ${what} comes from '${handle.producer.name}' of another experiment; modules of one network share one Experiment`, { module: this.name, value: handle.producer.name });
    }
  }
}
