// Pieces every page shares: the run bar (button, progress, status), the code box, the JSON download, and the
// state the tests read (`window.__lab`).
import type uPlot from 'uplot';
import type { LabResults } from '../src/experiment.js';
import type { YinYangResults } from '../src/training-page.js';
import type { PlottedChart } from './plots.js';

export interface LabState {
  /** True once the first page is rendered and its controls work. */
  interactive: boolean;
  /** performance.now() when the page became interactive (the benchmark counts what loaded before). */
  interactiveAt_ms: number | undefined;
  /** True once the worker (the stack) has loaded and warmed up. */
  workerReady: boolean;
  /** performance.now() when the worker reported ready. */
  workerReadyAt_ms: number | undefined;
  page: string;
  runs: number;
  lastResults: LabResults | undefined;
  lastPlotted: PlottedChart[];
  /** Click → plotted, ms (performance.now() in the page). */
  lastRun_ms: number | undefined;
  lastError: string | undefined;
  /** The Yin-Yang page: finished trainings, stopped ones, the last results and what its charts show. */
  trainings: number;
  trainingsStopped: number;
  lastTraining: YinYangResults | undefined;
  /** The data of the live loss/accuracy chart (uPlot's own arrays after the last update). */
  trainingPlot: { epoch: number[]; loss: number[]; trainAccuracy: number[]; testAccuracy: number[] } | undefined;
  /** The decision map as drawn: points per predicted class, and how many are marked wrong. */
  trainingMap: { points: number; perClass: number[]; wrong: number } | undefined;
}

export const state: LabState = { interactive: false, interactiveAt_ms: undefined, workerReadyAt_ms: undefined, workerReady: false, page: '', runs: 0, lastResults: undefined, lastPlotted: [], lastRun_ms: undefined, lastError: undefined, trainings: 0, trainingsStopped: 0, lastTraining: undefined, trainingPlot: undefined, trainingMap: undefined };
(globalThis as unknown as { __lab: LabState }).__lab = state;

export const charts: uPlot[] = [];

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

export interface RunBar {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  readonly download: HTMLButtonElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLElement;
}

export function runBar(label: string): RunBar {
  const button = element('button', { type: 'button', textContent: label, id: 'run' });
  const download = element('button', { type: 'button', textContent: 'Download results (JSON)', className: 'secondary', disabled: true, id: 'download' });
  const progress = element('progress', { max: 1, value: 0, id: 'progress' });
  progress.setAttribute('aria-label', 'Run progress');
  const status = element('p', { className: 'status', id: 'status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  return { root: element('div', { className: 'actions' }, button, progress, download, status), button, download, progress, status };
}

/** Offers `results` as a JSON file download. */
export function downloadResults(results: LabResults | YinYangResults, name: string): void {
  downloadBytes(new Blob([JSON.stringify(results, null, 1)], { type: 'application/json' }), `${name}-results.json`);
}

/** Offers `blob` as a file download named `filename`. */
export function downloadBytes(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = element('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The code section: a heading, a copy button and the code. */
export function codeBox(heading = 'The same experiment in TypeScript'): { root: HTMLElement; set(code: string): void } {
  const code = element('code');
  const pre = element('pre', { className: 'code', tabIndex: 0 }, code);
  pre.setAttribute('aria-label', `${heading} (code)`);
  const copy = element('button', { type: 'button', textContent: 'Copy code', className: 'secondary' });
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code.textContent ?? '').then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Copy failed: select the code instead'),
    );
  });
  const root = element('section', {}, element('h2', { textContent: heading }), element('div', { className: 'actions' }, copy), pre);
  return { root, set: (text) => (code.textContent = text) };
}
