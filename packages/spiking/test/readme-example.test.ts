import { expect, it } from 'vitest';
import { readmeExample } from '../examples/readme.js';

it('the README example trains the Yin-Yang classifier well above chance in two short epochs', async () => {
  expect(await readmeExample()).toBeGreaterThan(0.6);
}, 60_000);
