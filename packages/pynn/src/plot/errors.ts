import { PyNNError } from '../errors.js';

/**
 * Data a plot cannot draw: x and y of different lengths, a non-finite value, a size that leaves no room. The
 * message names the panel, the series and the offending value.
 */
export class PlotError extends PyNNError {
  override name = 'PlotError';
}
