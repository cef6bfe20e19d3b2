// `lab.*`: the browser lab in Debian's Chromium (playwright-core), on the built site served on 127.0.0.1.
//
// `lab.single_neuron.run_ms`: the single-neuron page's default experiment (leak over threshold, 100 ms), from the
// click on "Run experiment" to the plotted trace, measured in the page (performance.now()); the first click of a
// freshly loaded page once its worker reported ready (it loads the stack and warms it up with a 20 ms run, while
// the visitor reads), median of --repeats page loads. The inputs give the median of a second click on the same
// page, and of the time from navigation to the worker's ready (a click before it waits that long). Goal ≤ 1,000 ms.
// `lab.bundle_kb`: JavaScript and wasm (decoded bytes) the first page loads before it is interactive (its
// controls work); the worker with the stack loads after. The inputs give the total with the worker. Goal ≤ 2,048.
//
// `lab.yin_yang.run_s`: the Yin-Yang page's default training (mock mode: 5 epochs of 400 samples, 300 test points)
// from the click on "Train" to the drawn decision map, in the page; median of --repeats page loads (each loads the
// training worker anew). The inputs give the test accuracy and the JavaScript + wasm the page loads (tfjs, h5wasm,
// spiking; only on that page).
//
// Options (`pnpm bench lab [options]`): --repeats N (default 5).
import { parseArgs } from 'node:util';
import { type BenchRecord, type Benchmark, median } from '@bss2/bench';
import type { Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM_MISSING, openLab } from '../test/support/chromium.js';

interface PageState {
  interactive: boolean;
  interactiveAt_ms: number;
  workerReady: boolean;
  workerReadyAt_ms: number;
  runs: number;
  lastRun_ms: number;
  lastError?: string;
}

interface TrainingState {
  trainings: number;
  lastRun_ms: number;
  lastTraining: { testAccuracy: number };
  lastError?: string;
}

function repeatsOf(options: readonly string[]): number {
  const { values } = parseArgs({ args: [...options], options: { repeats: { type: 'string' } }, strict: true });
  if (values.repeats === undefined) return 5;
  if (!/^\d+$/.test(values.repeats) || Number(values.repeats) < 1) throw new RangeError(`lab bench: --repeats takes a whole number ≥ 1, got '${values.repeats}'`);
  return Number(values.repeats);
}

const labState = (page: Page): Promise<PageState> => page.evaluate(() => (globalThis as unknown as { __lab: PageState }).__lab);

async function clickRun(page: Page): Promise<number> {
  const before = (await labState(page)).runs;
  await page.click('#run');
  await page.waitForFunction((n) => (globalThis as unknown as { __lab: PageState }).__lab.runs > n || (globalThis as unknown as { __lab: PageState }).__lab.lastError !== undefined, before, { timeout: 120_000 });
  const state = await labState(page);
  if (state.lastError !== undefined) throw new Error(`lab bench: the run failed in the page: ${state.lastError}`);
  return state.lastRun_ms;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'lab',
    async run(options) {
      const repeats = repeatsOf(options);
      if (!chromiumAvailable()) throw new Error(`lab bench: ${CHROMIUM_MISSING}`);
      const lab = await openLab();
      try {
        const cold: number[] = [];
        const warm: number[] = [];
        const ready: number[] = [];
        let beforeInteractive_bytes = 0;
        let total_bytes = 0;
        for (let k = 0; k < repeats; k++) {
          const page = await lab.context.newPage();
          const bodies: Promise<number>[] = [];
          page.on('response', (response) => {
            if (/\.(m?js|wasm)$/.test(new URL(response.url()).pathname)) bodies.push(response.body().then((b) => b.length, () => 0));
          });
          await page.goto(`${lab.site.url}#/single-neuron`);
          await page.waitForFunction(() => (globalThis as unknown as { __lab?: PageState }).__lab?.workerReady === true, undefined, { timeout: 120_000 });
          if (k === 0) {
            // Resource timing of the page itself (the worker's requests are in the worker's own timeline).
            beforeInteractive_bytes = await page.evaluate(() => {
              const at = (globalThis as unknown as { __lab: PageState }).__lab.interactiveAt_ms;
              return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
                .filter((e) => e.startTime <= at && /\.(m?js|wasm)$/.test(new URL(e.name).pathname))
                .reduce((sum, e) => sum + e.decodedBodySize, 0);
            });
            total_bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
          }
          ready.push((await labState(page)).workerReadyAt_ms);
          cold.push(await clickRun(page));
          warm.push(await clickRun(page));
          await page.close();
        }
        const training_ms: number[] = [];
        let accuracy = 0;
        let trainingPage_bytes = 0;
        for (let k = 0; k < repeats; k++) {
          const page = await lab.context.newPage();
          const bodies: Promise<number>[] = [];
          page.on('response', (response) => {
            if (/\.(m?js|wasm)$/.test(new URL(response.url()).pathname)) bodies.push(response.body().then((b) => b.length, () => 0));
          });
          await page.goto(`${lab.site.url}#/yin-yang`);
          await page.waitForSelector('#control-epochs');
          await page.click('#run');
          await page.waitForFunction(() => (globalThis as unknown as { __lab: TrainingState }).__lab.trainings > 0 || (globalThis as unknown as { __lab: TrainingState }).__lab.lastError !== undefined, undefined, { timeout: 300_000 });
          const state = await page.evaluate(() => (globalThis as unknown as { __lab: TrainingState }).__lab);
          if (state.lastError !== undefined) throw new Error(`lab bench: the training failed in the page: ${state.lastError}`);
          training_ms.push(state.lastRun_ms);
          accuracy = state.lastTraining.testAccuracy;
          if (k === 0) trainingPage_bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
          await page.close();
        }
        const round = (x: number) => Math.round(x * 10) / 10;
        const records: BenchRecord[] = [
          {
            name: 'lab.single_neuron.run_ms',
            value: round(median(cold)),
            unit: 'ms',
            inputs: { page: 'single-neuron', experiment: 'leak over threshold, 1 HXNeuron, 100 ms', browser: 'chromium (headless)', repeats, goal_ms: 1000, warm_median_ms: round(median(warm)), worker_ready_after_navigation_median_ms: round(median(ready)) },
            runs_ms: cold.map(round),
            warm_runs_ms: warm.map(round),
          },
          {
            name: 'lab.bundle_kb',
            value: round(beforeInteractive_bytes / 1024),
            unit: 'KiB',
            inputs: { page: 'single-neuron', goal_kb: 2048, with_worker_kb: round(total_bytes / 1024), measure: 'decoded JavaScript + wasm bytes requested before the page is interactive' },
          },
          {
            name: 'lab.yin_yang.run_s',
            value: Math.round(median(training_ms)) / 1000,
            unit: 's',
            inputs: { page: 'yin-yang', settings: 'defaults: mock, 5 epochs × 400 samples, batch 50, lr 0.01, 300 test points, seed 1', repeats, test_accuracy: accuracy, page_js_wasm_kb: round(trainingPage_bytes / 1024) },
            runs_s: training_ms.map((t) => Math.round(t) / 1000),
          },
        ];
        return records;
      } finally {
        await lab.close();
      }
    },
  },
];
