import { NIRError } from '../nir/errors.js';

/**
 * A model and a NIR graph do not translate: a layer or PyNN cell type NIR has no node for, connected nodes whose
 * shapes disagree, recorded data off the experiment's time grid. `module` names the layer, population or node.
 * (What the chip cannot realise is a HardwareMappingError.)
 */
export class NIRConversionError extends NIRError {
  override name = 'NIRConversionError';
}
