import { expect, it } from 'vitest';
import { readmeExample } from '../examples/readme.js';

it('the README example multiplies on the mock and trains the Yin-Yang MLP well above chance', async () => {
  const { product, testAccuracy } = await readmeExample();
  // Exact: (31·63 + 16·10)·20·0.002 = 84.52 and (31·(−20) + 16·40)·20·0.002 = 0.8, each plus N(0, 2), floored.
  expect(product[0]).toBeGreaterThan(84 - 10);
  expect(product[0]).toBeLessThan(84 + 10);
  expect(Math.abs(product[1]!)).toBeLessThan(10);
  expect(testAccuracy).toBeGreaterThan(0.8);
});
