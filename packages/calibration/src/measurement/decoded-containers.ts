/**
 * Decodes the words of a digital neuron container once per distinct content: a measurement writes the same
 * few configurations to hundreds of neurons, and the builder encodes a container when it is written, so one
 * decoded instance serves every write (it is never modified).
 */
export class DecodedContainers<C> {
  private readonly cache = new Map<string, C>();

  constructor(private readonly decode: (words: Uint32Array) => C) {}

  of(words: Uint32Array): C {
    const key = words.join(',');
    let container = this.cache.get(key);
    if (container === undefined) {
      container = this.decode(words);
      this.cache.set(key, container);
    }
    return container;
  }
}
