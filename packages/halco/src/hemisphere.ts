import { ranged } from './coordinate.js';

/** Top (0) or bottom (1) half of the chip. */
export class HemisphereOnDLS extends ranged('HemisphereOnDLS', 0, 1) {
  static readonly top = new HemisphereOnDLS(0);
  static readonly bottom = new HemisphereOnDLS(1);
}
