// The experiment-file editor: paste or load a file; the worker checks it as you type (debounced) and every issue
// is listed at its JSON path; run it and plot it. Loaded only when this page is opened.
import example from '../../../test-fixtures/experiments/single-neuron.json?raw';
import { fileCode } from '../src/codegen.js';
import type { LabResults } from '../src/experiment.js';
import { editorPage } from '../src/pages.js';
import type { LabClient } from './lab-client.js';
import { plotResults } from './plots.js';
import { charts, codeBox, downloadResults, element, runBar, state } from './ui.js';

const DEBOUNCE_MS = 300;

export function renderEditor(main: HTMLElement, client: LabClient): void {
  const text = element('textarea', { id: 'experiment-text', value: example, spellcheck: false });
  const file = element('input', { type: 'file', id: 'experiment-file', accept: '.json,application/json' });
  const issues = element('ul', { className: 'issues', id: 'issues' });
  issues.setAttribute('aria-live', 'polite');
  const validity = element('p', { id: 'validity', className: 'status' });
  const bar = runBar('Run experiment');
  const plots = element('div', { className: 'plots', id: 'plots' });
  const code = codeBox();
  main.replaceChildren(
    element('h2', { textContent: editorPage.title }),
    ...editorPage.paragraphs.map((p) => element('p', { textContent: p })),
    element('div', { className: 'control' }, element('label', { htmlFor: 'experiment-file', textContent: 'Load an experiment file' }), file),
    element('div', { className: 'control' }, element('label', { htmlFor: 'experiment-text', textContent: 'Experiment file (JSON)' }), text),
    validity,
    issues,
    bar.root,
    element('section', { className: 'results' }, element('h2', { textContent: 'Results' }), plots),
    code.root,
  );

  let generation = 0;
  let valid = false;
  const validate = async () => {
    const mine = ++generation;
    const found = await client.validate(text.value);
    if (mine !== generation) return;
    valid = found.length === 0;
    issues.replaceChildren(...found.map((issue) => element('li', {}, element('code', { textContent: issue.path === '' ? '(root)' : issue.path }), `: ${issue.message}`)));
    validity.textContent = valid ? 'The experiment is valid.' : `${found.length} ${found.length === 1 ? 'issue' : 'issues'}:`;
    if (valid) {
      const parsed = JSON.parse(text.value) as Parameters<typeof fileCode>[1];
      code.set(fileCode(parsed.name ?? 'experiment', parsed));
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void validate(), DEBOUNCE_MS);
  };
  text.addEventListener('input', schedule);
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen === undefined) return;
    text.value = await chosen.text();
    schedule();
  });
  void validate();

  let results: LabResults | undefined;
  let running = false;
  bar.download.addEventListener('click', () => results !== undefined && downloadResults(results, 'experiment'));
  bar.button.addEventListener('click', async () => {
    if (running) return;
    running = true;
    const clicked = performance.now();
    bar.status.classList.remove('error');
    bar.status.textContent = 'Checking…';
    try {
      await validate();
      if (!valid) throw new Error('the experiment has issues (listed above); fix them first');
      const parsed = JSON.parse(text.value) as Parameters<typeof fileCode>[1];
      results = await client.run({ kind: 'file', title: parsed.name ?? 'experiment', file: parsed }, (step, fraction) => {
        bar.progress.value = fraction;
        bar.status.textContent = step;
      });
      state.lastPlotted = plotResults(plots, results, charts);
      state.lastRun_ms = performance.now() - clicked;
      state.lastResults = results;
      state.runs++;
      bar.download.disabled = false;
      bar.status.textContent = `Done: ${results.duration_s.toFixed(2)} s in the simulator.`;
    } catch (error) {
      state.lastError = `${(error as Error).name}: ${(error as Error).message}`;
      bar.status.classList.add('error');
      bar.status.textContent = state.lastError;
    } finally {
      running = false;
    }
  });
}
