// A tutorial page: explanation, labelled controls, run bar, plots, the experiment's code and its results.
import { experimentCode } from '../src/codegen.js';
import { checkedValues, defaultValues, type Control, type LabPage } from '../src/pages.js';
import type { LabResults } from '../src/experiment.js';
import type { LabClient } from './lab-client.js';
import { plotResults } from './plots.js';
import { charts, codeBox, downloadResults, element, runBar, state } from './ui.js';

/** A labelled control (range with its value shown, or select; a select may set other controls: the page's presets). */
export function controlElement(page: Pick<LabPage, 'presets'>, control: Control, values: Record<string, number | string>, changed: () => void): HTMLElement {
  const id = `control-${control.id}`;
  const label = element('label', { htmlFor: id, textContent: control.label });
  const wrapper = element('div', { className: 'control' }, label);
  wrapper.dataset.control = control.id;
  if (control.kind === 'range') {
    const input = element('input', { type: 'range', id, min: String(control.min), max: String(control.max), step: String(control.step), value: String(values[control.id]) });
    const output = element('output');
    output.setAttribute('for', id);
    const show = () => (output.textContent = `${input.value}${control.unit === '' ? '' : ` ${control.unit}`}`);
    show();
    input.addEventListener('input', () => {
      values[control.id] = Number(input.value);
      show();
      changed();
    });
    wrapper.append(element('div', { className: 'row' }, input, output));
  } else {
    const select = element('select', { id }, ...control.options.map((o) => element('option', { value: o.value, textContent: o.label, selected: o.value === values[control.id] })));
    select.addEventListener('change', () => {
      values[control.id] = select.value;
      const preset = page.presets?.control === control.id ? page.presets.values[select.value] : undefined;
      if (preset !== undefined) {
        for (const [target, value] of Object.entries(preset)) {
          values[target] = value;
          const input = document.getElementById(`control-${target}`) as HTMLInputElement | null;
          if (input !== null) {
            input.value = String(value);
            input.dispatchEvent(new Event('input'));
          }
        }
      }
      changed();
    });
    wrapper.append(select);
  }
  return wrapper;
}

export function renderTutorial(main: HTMLElement, page: LabPage, client: LabClient): void {
  const values = defaultValues(page);
  const bar = runBar('Run experiment');
  const plots = element('div', { className: 'plots', id: 'plots' });
  const code = codeBox();
  const controls = element('form', { className: 'controls' });
  controls.setAttribute('aria-label', 'Experiment settings');
  controls.addEventListener('submit', (event) => event.preventDefault());
  const refresh = () => {
    // Controls of other variants are hidden (and skipped by Tab).
    for (const control of page.controls) {
      const wrapper = controls.querySelector<HTMLElement>(`[data-control="${control.id}"]`)!;
      wrapper.hidden = control.variants !== undefined && !control.variants.includes(String(values.variant));
    }
    try {
      code.set(experimentCode(page.build(checkedValues(page, values))));
    } catch (error) {
      code.set(`// ${(error as Error).message}`);
    }
  };
  for (const control of page.controls) controls.append(controlElement(page, control, values, refresh));
  main.replaceChildren(
    element('h2', { textContent: page.title }),
    ...page.paragraphs.map((text) => element('p', { textContent: text })),
    controls,
    bar.root,
    element('section', { className: 'results' }, element('h2', { textContent: 'Results' }), plots),
    code.root,
  );
  refresh();

  let results: LabResults | undefined;
  bar.download.addEventListener('click', () => results !== undefined && downloadResults(results, page.id));
  let running = false;
  bar.button.addEventListener('click', async () => {
    // Not `disabled` while running: that would drop the keyboard focus from the button.
    if (running) return;
    running = true;
    const clicked = performance.now();
    bar.button.setAttribute('aria-busy', 'true');
    bar.status.classList.remove('error');
    bar.progress.value = 0;
    bar.status.textContent = state.workerReady ? 'Running…' : 'Loading the simulator…';
    try {
      const experiment = page.build(checkedValues(page, values));
      results = await client.run(experiment, (step, fraction) => {
        bar.progress.value = fraction;
        bar.status.textContent = step;
      });
      state.lastPlotted = plotResults(plots, results, charts);
      state.lastRun_ms = performance.now() - clicked;
      state.lastResults = results;
      state.runs++;
      bar.download.disabled = false;
      bar.progress.value = 1;
      bar.status.textContent = `Done: ${results.duration_s.toFixed(2)} s in the simulator, ${(state.lastRun_ms / 1000).toFixed(2)} s from the click to the plots.`;
    } catch (error) {
      state.lastError = `${(error as Error).name}: ${(error as Error).message}`;
      bar.status.classList.add('error');
      bar.status.textContent = state.lastError;
    } finally {
      running = false;
      bar.button.removeAttribute('aria-busy');
    }
  });
}
