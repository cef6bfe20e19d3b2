// The lab in a real browser (Debian's Chromium through playwright-core, on the built site served on 127.0.0.1):
// every page loads without console errors, runs its experiment and plots exactly what the same experiment gives
// in Node; the editor points at a schema error by its JSON path; the run button works from the keyboard; every
// control has a label; no request leaves the site's origin. Screenshots go to test-results/.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromNIR, readNIR } from '@bss2/spiking';
import { checkedValues, pages, runLabExperiment, runYinYangTraining, yinYangPage, yinYangSettings, type LabExperiment, type LabResults, type YinYangResults } from '../src/index.js';
import { chromiumAvailable, CHROMIUM_MISSING, openLab, type LabBrowser } from './support/chromium.js';

const SHOTS = new URL('../test-results/', import.meta.url).pathname;
const exampleFile = JSON.parse(readFileSync(new URL('../../../test-fixtures/experiments/single-neuron.json', import.meta.url), 'utf8')) as Record<string, unknown>;

interface LabWindowState {
  interactive: boolean;
  runs: number;
  trainings: number;
  trainingsStopped: number;
  lastTraining?: YinYangResults;
  trainingPlot?: { epoch: number[]; loss: number[]; trainAccuracy: number[]; testAccuracy: number[] };
  trainingMap?: { points: number; perClass: number[]; wrong: number };
  lastResults?: LabResults;
  lastPlotted: { kind: string; title: string; points: number[] }[];
  lastError?: string;
}

if (!chromiumAvailable()) console.warn(`lab browser tests skipped: ${CHROMIUM_MISSING}`);

describe.skipIf(!chromiumAvailable())('the lab in Chromium', { timeout: 120_000 }, () => {
  let lab: LabBrowser;
  let page: Page;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  let origin = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await openLab();
    origin = new URL(lab.site.url).origin;
    page = await lab.context.newPage();
    // A loaded 2-core machine runs the worker, Chromium and the Node side at once: generous waits.
    page.setDefaultTimeout(80_000);
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    lab.context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreignRequests.push(url);
    });
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  const labState = (): Promise<LabWindowState> => page.evaluate(() => (globalThis as unknown as { __lab: LabWindowState }).__lab);

  async function open(id: string): Promise<void> {
    // The same address again only changes nothing (no hashchange): reload for a fresh page with default controls.
    const target = `${lab.site.url}#/${id}`;
    if (page.url() === target) await page.reload();
    else await page.goto(target);
    await page.waitForFunction(() => (globalThis as unknown as { __lab?: LabWindowState }).__lab?.interactive === true);
    await page.waitForFunction((pageId) => (globalThis as unknown as { __lab: { page: string } }).__lab.page === pageId, id);
  }

  /** Clicks run (or presses Enter on it) and waits for the next plotted results. */
  async function runAndWait(trigger: () => Promise<void>): Promise<LabWindowState> {
    const before = (await labState()).runs;
    await trigger();
    await page.waitForFunction(
      (n) => {
        const s = (globalThis as unknown as { __lab: LabWindowState }).__lab;
        return s.runs > n || s.lastError !== undefined;
      },
      before,
      { timeout: 80_000 },
    );
    const after = await labState();
    expect(after.lastError).toBeUndefined();
    return after;
  }

  /** The page's plotted data equals the same experiment run in Node (spike times and samples, exactly). */
  async function expectSameAsNode(state: LabWindowState, experiment: LabExperiment): Promise<void> {
    const shown = state.lastResults!;
    expect(shown.experiment).toEqual(experiment);
    const node = await runLabExperiment(experiment);
    expect(shown.rasters).toEqual(node.rasters);
    expect(shown.traces).toEqual(node.traces);
    expect(shown.series).toEqual(node.series);
    expect(node.traces.length + node.rasters.length).toBeGreaterThan(0);
    // What uPlot drew: one chart per trace with every sample, one raster per population with every spike.
    expect(state.lastPlotted.filter((c) => c.kind === 'trace').map((c) => c.points[0])).toEqual(node.traces.map((t) => t.values.length));
    expect(state.lastPlotted.filter((c) => c.kind === 'raster').map((c) => c.points)).toEqual(node.rasters.map((r) => r.spikes_ms.map((s) => s.length)));
  }

  async function expectLabelledControls(): Promise<void> {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => ((el as HTMLInputElement).labels?.length ?? 0) === 0 || [...(el as HTMLInputElement).labels!].every((l) => l.textContent!.trim() === ''))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
  }

  it('single neuron: keyboard only — Tab to the run button, Enter — and the same spikes as in Node', async () => {
    await open('single-neuron');
    await expectLabelledControls();
    let reached = false;
    for (let k = 0; k < 40 && !reached; k++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'run');
    }
    expect(reached, 'Tab reaches the run button').toBe(true);
    const state = await runAndWait(() => page.keyboard.press('Enter'));
    const single = pages.find((p) => p.id === 'single-neuron')!;
    await expectSameAsNode(state, single.build(checkedValues(single, {})));
    expect(state.lastResults!.rasters[0]!.spikes_ms[0]!.length).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SHOTS}single-neuron.png`, fullPage: true });
  });

  it('single neuron on 10 neurons: fixed-pattern variation, the same as in Node', async () => {
    await open('single-neuron');
    await page.selectOption('#control-variant', 'ten-neurons');
    await page.selectOption('#control-tracePair', '1');
    const state = await runAndWait(() => page.click('#run'));
    const single = pages.find((p) => p.id === 'single-neuron')!;
    await expectSameAsNode(state, single.build(checkedValues(single, { variant: 'ten-neurons', tracePair: '1' })));
    expect(new Set(state.lastResults!.rasters[0]!.spikes_ms.map((s) => s[0])).size).toBeGreaterThan(5);
    await page.screenshot({ path: `${SHOTS}single-neuron-ten.png`, fullPage: true });
  });

  it.each(pages.filter((p) => p.id !== 'single-neuron').map((p) => [p.id, p] as const))('%s: runs and plots the same as in Node', async (id, labPage) => {
    await open(id);
    await expectLabelledControls();
    const state = await runAndWait(() => page.click('#run'));
    await expectSameAsNode(state, labPage.build(checkedValues(labPage, {})));
    // The download is the results shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(`${id}-results.json`);
    const downloaded = JSON.parse(readFileSync(await download.path(), 'utf8')) as LabResults;
    expect(downloaded).toEqual(state.lastResults);
    await page.screenshot({ path: `${SHOTS}${id}.png`, fullPage: true });
  });

  it('STDP window: Δt swept over the grid, the same Δw as in Node; PSP page: the static variant too', async () => {
    await open('stdp');
    await page.selectOption('#control-mode', 'window');
    const stdp = pages.find((p) => p.id === 'stdp')!;
    const state = await runAndWait(() => page.click('#run'));
    await expectSameAsNode(state, stdp.build(checkedValues(stdp, { mode: 'window' })));
    expect(state.lastPlotted.filter((c) => c.kind === 'series').map((c) => c.points[0])).toEqual([state.lastResults!.experiment.kind === 'stdp' ? state.lastResults!.experiment.stdp.dts_ms.length : -1]);
    await page.screenshot({ path: `${SHOTS}stdp-window.png`, fullPage: true });

    await open('psp');
    await page.selectOption('#control-variant', 'static');
    const psp = pages.find((p) => p.id === 'psp')!;
    await expectSameAsNode(await runAndWait(() => page.click('#run')), psp.build(checkedValues(psp, { variant: 'static' })));
    await page.screenshot({ path: `${SHOTS}psp-static.png`, fullPage: true });
  });

  it('editor: runs the example file like Node, then points at a schema error by its JSON path', async () => {
    await open('editor');
    await expectLabelledControls();
    await page.waitForFunction(() => document.getElementById('validity')?.textContent === 'The experiment is valid.');
    const state = await runAndWait(() => page.click('#run'));
    await expectSameAsNode(state, { kind: 'file', title: exampleFile.name as string, file: exampleFile as never });
    const broken = structuredClone(exampleFile) as { populations: { size: number }[] };
    broken.populations[1]!.size = 0;
    await page.fill('#experiment-text', JSON.stringify(broken, null, 2));
    await page.waitForFunction(() => document.getElementById('issues')!.textContent!.includes('populations[1].size'));
    expect(await page.textContent('#validity')).toMatch(/^1 issue/);
    await page.screenshot({ path: `${SHOTS}editor.png`, fullPage: true });
  });

  /** Sets a range control the way a visitor's drag does (value, then an input event). */
  async function setRange(id: string, value: number): Promise<void> {
    await page.$eval(`#control-${id}`, (input, v) => {
      (input as HTMLInputElement).value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  }

  it('yin-yang: stops on request; a short mock training plots the accuracies Node computes, and its NIR reads back in Node', async () => {
    await open('yin-yang');
    await page.waitForSelector('#control-epochs');
    await expectLabelledControls();
    // Stop: a default run (5 epochs), stopped after its first epoch is plotted.
    await page.click('#run');
    await page.waitForFunction(() => ((globalThis as unknown as { __lab: LabWindowState }).__lab.trainingPlot?.epoch.length ?? 0) >= 1);
    expect(await page.textContent('#run')).toBe('Stop');
    await page.click('#run');
    await page.waitForFunction(() => (globalThis as unknown as { __lab: LabWindowState }).__lab.trainingsStopped === 1);
    expect(await page.textContent('#status')).toMatch(/^Stopped after \d of 5 epochs/);
    expect(await page.textContent('#run')).toBe('Train');

    // A short run to the end (a new worker: the stopped one was terminated).
    const short = { epochs: 3, trainSamples: 150, testSamples: 100, batchSize: 30, learningRate: 0.012, seed: 4 };
    for (const [id, value] of Object.entries(short)) await setRange(id, value);
    expect(await page.textContent('pre.code')).toContain('{ epochs: 3, trainSamples: 150, testSamples: 100, batchSize: 30, learningRate: 0.012, seed: 4 }');
    const before = (await labState()).trainings;
    await page.click('#run');
    await page.waitForFunction(
      (n) => {
        const s = (globalThis as unknown as { __lab: LabWindowState }).__lab;
        return s.trainings > n || s.lastError !== undefined;
      },
      before,
      { timeout: 80_000 },
    );
    const state = await labState();
    expect(state.lastError).toBeUndefined();
    const shown = state.lastTraining!;
    const settings = yinYangSettings(short);
    expect(shown.settings).toEqual(settings);

    // Node, same settings and seed: the same tfjs backend (wasm, its SIMD build in both) gives identical numbers.
    const node = await runYinYangTraining(settings);
    expect([shown.backend, node.results.backend]).toEqual(['wasm', 'wasm']);
    expect(state.trainingPlot).toEqual({
      epoch: [1, 2, 3],
      loss: node.results.epochs.map((e) => e.loss),
      trainAccuracy: node.results.epochs.map((e) => e.trainAccuracy),
      testAccuracy: node.results.epochs.map((e) => e.testAccuracy),
    });
    expect(shown.decisionMap).toEqual(node.results.decisionMap);
    expect(shown.weights).toEqual(node.results.weights);
    expect(state.trainingMap).toEqual({
      points: short.testSamples,
      perClass: [0, 1, 2].map((k) => node.results.decisionMap.predicted.filter((p) => p === k).length),
      wrong: node.results.decisionMap.predicted.filter((p, i) => p !== node.results.decisionMap.label[i]).length,
    });

    // Downloads: the results as JSON, the network as NIR (HDF5) that spiking reads back in Node.
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(json.suggestedFilename()).toBe('yin-yang-results.json');
    expect(JSON.parse(readFileSync(await json.path(), 'utf8'))).toEqual(shown);
    const [nirDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-nir')]);
    expect(nirDownload.suggestedFilename()).toBe('yin-yang.nir');
    const bytes = new Uint8Array(readFileSync(await nirDownload.path()));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const graph = await readNIR(bytes);
    expect(graph.nodes).toEqual((await readNIR(node.nir)).nodes);
    const model = fromNIR(graph, { dt_ms: 0.5, experiment: { mock: true, weightScale: shown.weightScale } });
    expect(Object.keys(model.layers).sort()).toEqual(['InputNeuron_0', 'LIF_0', 'LI_0']);
    await model.experiment.close();
    await page.screenshot({ path: `${SHOTS}yin-yang.png`, fullPage: true });
  });

  it('yin-yang on the simulated chip (hardware in the loop, in the worker): the same training as in Node', async () => {
    await open('yin-yang');
    await page.waitForSelector('#control-epochs');
    await page.selectOption('#control-chip', 'varied-chip');
    expect(await page.isVisible('#control-chipSeed')).toBe(true);
    const short = { chipSeed: 2, epochs: 1, trainSamples: 50, testSamples: 50, batchSize: 50 };
    for (const [id, value] of Object.entries(short)) await setRange(id, value);
    const before = (await labState()).trainings;
    await page.click('#run');
    await page.waitForFunction(
      (n) => {
        const s = (globalThis as unknown as { __lab: LabWindowState }).__lab;
        return s.trainings > n || s.lastError !== undefined;
      },
      before,
      { timeout: 80_000 },
    );
    const state = await labState();
    expect(state.lastError).toBeUndefined();
    const shown = state.lastTraining!;
    expect(shown.settings).toEqual(yinYangSettings({ chip: 'varied-chip', ...short }));
    const node = await runYinYangTraining(shown.settings);
    // The chip measured its weight scale (not mock mode's default), identically in both.
    expect(shown.weightScale).toBe(node.results.weightScale);
    expect(shown.weightScale).not.toBe(60);
    expect(state.trainingPlot!.testAccuracy).toEqual(node.results.epochs.map((e) => e.testAccuracy));
    expect(state.trainingPlot!.loss).toEqual(node.results.epochs.map((e) => e.loss));
    expect(shown.decisionMap).toEqual(node.results.decisionMap);
  });

  it('every page fits a phone (375 px wide): no horizontal scrolling; rasters give each neuron row room', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const id of [...pages.map((p) => p.id), yinYangPage.id, 'editor']) {
        await open(id);
        await page.waitForSelector('#run');
        if (id === 'single-neuron') {
          await page.selectOption('#control-variant', 'ten-neurons');
          await runAndWait(() => page.click('#run'));
          // 10 rows: at least 26 px each inside the raster's plot area.
          const plotHeight = await page.$eval('figure[aria-label="neuron: spikes"] .u-over', (el) => el.getBoundingClientRect().height);
          expect(plotHeight).toBeGreaterThanOrEqual(10 * 26 - 1);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${id} scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}${id}-phone.png`, fullPage: true });
      }
    } finally {
      await page.setViewportSize({ width: 1200, height: 900 });
    }
  });

  it('logged no console errors and requested nothing outside its origin', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
