import { PyNNError } from '../errors.js';

/**
 * A plasticity rule, timer or plastic synapse is malformed, its projection cannot be handed to a kernel (rows
 * shared with another projection), or a kernel failed in a run (`failures`: rule, PPU, kind, return code; the
 * run's recorded data are stored before it is thrown).
 */
export class PlasticityError extends PyNNError {
  override name = 'PlasticityError';
}
