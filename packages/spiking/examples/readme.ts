// The example of README.md: the Yin-Yang classifier, two short epochs in mock mode.
import { initTensorBackend, trainYinYang } from '../src/index.js';

export async function readmeExample(): Promise<number> {
  await initTensorBackend();
  const result = await trainYinYang({ mock: true }, { epochs: 2, trainSamples: 1000, testSamples: 300, seed: 1 });
  await result.experiment.close();
  return result.testAccuracy;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`test accuracy after two short epochs: ${(100 * (await readmeExample())).toFixed(1)} %`);
}
