// The example of README.md, in mock mode: one matrix multiply, then the Yin-Yang MLP trained for a few short
// epochs with the mock in the loop.
import { initTensorBackend, matmul, mockBackend, tf, trainYinYang } from '../src/index.js';

export async function readmeExample(): Promise<{ product: number[]; testAccuracy: number }> {
  await initTensorBackend();
  const backend = mockBackend({ seed: 1 }); // gain 0.002, σ 2
  // [1, 3] inputs 0..31 times [3, 2] weights −63..63, sent 20 times: floor(x·W·20·0.002 + noise), int8.
  const y = await matmul(tf.tensor2d([[31, 0, 16]]), tf.tensor2d([[63, -20], [-63, 5], [10, 40]]), { backend, numSends: 20 });
  const { testAccuracy, model } = await trainYinYang({ backend, epochs: 5, trainSamples: 1000, testSamples: 300, seed: 1 });
  model.dispose();
  return { product: Array.from(y.dataSync()), testAccuracy };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { product, testAccuracy } = await readmeExample();
  console.log(`x·W on the mock: [${product.join(', ')}]`);
  console.log(`Yin-Yang test accuracy after five short epochs: ${(100 * testAccuracy).toFixed(1)} %`);
}
