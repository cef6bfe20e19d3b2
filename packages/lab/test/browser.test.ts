// The lab in a real browser (Debian's Chromium through playwright-core, on the built site served on 127.0.0.1):
// every page loads without console errors, runs its experiment and plots exactly what the same experiment gives
// in Node; the editor points at a schema error by its JSON path; the run button works from the keyboard; every
// control has a label; no request leaves the site's origin. Screenshots go to test-results/.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedValues, pages, runLabExperiment, type LabExperiment, type LabResults } from '../src/index.js';
import { chromiumAvailable, CHROMIUM_MISSING, openLab, type LabBrowser } from './support/chromium.js';

const SHOTS = new URL('../test-results/', import.meta.url).pathname;
const exampleFile = JSON.parse(readFileSync(new URL('../../../test-fixtures/experiments/single-neuron.json', import.meta.url), 'utf8')) as Record<string, unknown>;

interface LabWindowState {
  interactive: boolean;
  runs: number;
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
    await page.goto(`${lab.site.url}#/${id}`);
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

  it('logged no console errors and requested nothing outside its origin', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
