// The live Yin-Yang training page (its own chunk and worker, loaded when opened): explanation, labelled controls,
// one run/stop button with progress, the live loss/accuracy chart, the decision map, the TypeScript of the same
// training, and downloads of the results (JSON) and the trained network (NIR, HDF5).
import type { SerializedError, TrainingRequest, TrainingResponse } from '../src/protocol.js';
import { defaultValues, checkedValues } from '../src/pages.js';
import { type TrainingEpoch, type YinYangResults, type YinYangSettings, yinYangCode, yinYangPage } from '../src/training-page.js';
import { controlElement } from './tutorial.js';
import { type TrainingChart, decisionMapFigure, trainingChart } from './training-plots.js';
import { charts, codeBox, downloadBytes, downloadResults, element, runBar, state } from './ui.js';

/** The training worker's answer as an Error of the same name. */
class TrainingError extends Error {
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
  }
}

/** A run stopped by the visitor (the worker was terminated). */
class TrainingStopped extends Error {
  override name = 'TrainingStopped';
}

interface Handlers {
  batch(epoch: number, batch: number, batches: number, loss: number): void;
  epoch(report: TrainingEpoch): void;
  evaluating(): void;
}

/** The page's side of the training worker: one run at a time; stop() terminates the worker (a new one starts next). */
class TrainingClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private current: { id: number; handlers: Handlers; resolve(value: { results: YinYangResults; nir: Uint8Array }): void; reject(error: Error): void } | undefined;

  /** Starts the worker (downloading tfjs, h5wasm and the stack) unless it runs. */
  warm(): void {
    if (this.worker !== undefined) return;
    const worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'bss2-lab-training' });
    worker.onmessage = (event: MessageEvent<TrainingResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.current?.reject(new Error(`the training worker failed: ${event.message}`));
      this.current = undefined;
      this.dispose();
    };
    this.worker = worker;
  }

  private receive(message: TrainingResponse): void {
    const current = this.current;
    if (current === undefined || message.id !== current.id) return;
    if (message.type === 'batch') current.handlers.batch(message.epoch, message.batch, message.batches, message.loss);
    else if (message.type === 'epoch') current.handlers.epoch(message.report);
    else if (message.type === 'evaluating') current.handlers.evaluating();
    else {
      this.current = undefined;
      if (message.type === 'trained') current.resolve({ results: message.results, nir: message.nir });
      else current.reject(new TrainingError(message.error));
    }
  }

  train(settings: YinYangSettings, handlers: Handlers): Promise<{ results: YinYangResults; nir: Uint8Array }> {
    this.warm();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.current = { id, handlers, resolve, reject };
      this.worker!.postMessage({ id, type: 'train', settings } satisfies TrainingRequest);
    });
  }

  /** Stops the running training at once: the worker (and its chip, if any) goes away. */
  stop(): void {
    this.current?.reject(new TrainingStopped('stopped'));
    this.current = undefined;
    this.dispose();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Renders the page into `main`; returns what to do when the visitor leaves it (stop the worker). */
export function renderTraining(main: HTMLElement): () => void {
  const page = yinYangPage;
  const client = new TrainingClient();
  const values = defaultValues(page);
  const bar = runBar('Train');
  const nirButton = element('button', { type: 'button', textContent: 'Download network (NIR)', className: 'secondary', disabled: true, id: 'download-nir' });
  bar.download.after(nirButton);
  const plots = element('div', { className: 'plots', id: 'plots' });
  const code = codeBox('The same training in TypeScript');
  const controls = element('form', { className: 'controls' });
  controls.setAttribute('aria-label', 'Training settings');
  controls.addEventListener('submit', (event) => event.preventDefault());
  const current = (): YinYangSettings => page.build(checkedValues(page, values));
  const refresh = () => {
    for (const control of page.controls) {
      const wrapper = controls.querySelector<HTMLElement>(`[data-control="${control.id}"]`)!;
      wrapper.hidden = control.variants !== undefined && !control.variants.includes(String(values.chip));
    }
    try {
      code.set(yinYangCode(current()));
    } catch (error) {
      code.set(`// ${(error as Error).message}`);
    }
  };
  for (const control of page.controls) controls.append(controlElement({}, control, values, refresh));
  main.replaceChildren(
    element('h2', { textContent: page.title }),
    ...page.paragraphs.map((text) => element('p', { textContent: text })),
    controls,
    bar.root,
    element('section', { className: 'results' }, element('h2', { textContent: 'Results' }), plots),
    code.root,
  );
  refresh();
  // tfjs and its wasm load while the visitor reads.
  client.warm();

  let results: YinYangResults | undefined;
  let nir: Uint8Array | undefined;
  let chart: TrainingChart | undefined;
  bar.download.addEventListener('click', () => results !== undefined && downloadResults(results, 'yin-yang'));
  nirButton.addEventListener('click', () => nir !== undefined && downloadBytes(new Blob([nir.slice().buffer], { type: 'application/x-hdf5' }), 'yin-yang.nir'));

  let running = false;
  const finish = () => {
    running = false;
    bar.button.textContent = 'Train';
    bar.button.removeAttribute('aria-busy');
  };
  bar.button.addEventListener('click', async () => {
    // One button: Train, and Stop while training (never disabled, so the keyboard focus stays on it).
    if (running) {
      client.stop();
      return;
    }
    bar.status.classList.remove('error');
    let settings: YinYangSettings;
    try {
      settings = current();
    } catch (error) {
      state.lastError = `${(error as Error).name}: ${(error as Error).message}`;
      bar.status.classList.add('error');
      bar.status.textContent = state.lastError;
      return;
    }
    running = true;
    const clicked = performance.now();
    bar.button.textContent = 'Stop';
    bar.button.setAttribute('aria-busy', 'true');
    bar.download.disabled = true;
    nirButton.disabled = true;
    bar.progress.value = 0;
    bar.status.textContent = 'Loading tfjs and the network…';
    if (chart !== undefined) {
      charts.splice(charts.indexOf(chart.chart), 1);
      chart.chart.destroy();
    }
    plots.replaceChildren();
    chart = trainingChart(plots, settings.epochs);
    charts.push(chart.chart);
    state.trainingPlot = chart.show([]);
    state.trainingMap = undefined;
    const epochs: TrainingEpoch[] = [];
    try {
      const trained = await client.train(settings, {
        batch: (epoch, batch, batches, loss) => {
          bar.progress.value = (epoch + (batch + 1) / batches) / settings.epochs;
          bar.status.textContent = `Epoch ${epoch + 1} of ${settings.epochs}, batch ${batch + 1} of ${batches}: loss ${loss.toFixed(3)}`;
        },
        epoch: (report) => {
          epochs.push(report);
          state.trainingPlot = chart!.show(epochs);
        },
        evaluating: () => (bar.status.textContent = 'Classifying the test points for the decision map…'),
      });
      ({ results, nir } = trained);
      state.trainingPlot = chart.show(results.epochs);
      state.trainingMap = decisionMapFigure(plots, results.decisionMap);
      state.lastTraining = results;
      state.lastRun_ms = performance.now() - clicked;
      state.trainings++;
      bar.download.disabled = false;
      nirButton.disabled = false;
      bar.progress.value = 1;
      bar.status.textContent = `Done: test accuracy ${(100 * results.testAccuracy).toFixed(1)} % after ${results.epochs.length} epochs, ${results.duration_s.toFixed(1)} s of training (tfjs backend: ${results.backend}).`;
    } catch (error) {
      if (error instanceof TrainingStopped) {
        state.trainingsStopped++;
        bar.status.textContent = `Stopped after ${epochs.length} of ${settings.epochs} epochs.`;
      } else {
        state.lastError = `${(error as Error).name}: ${(error as Error).message}`;
        bar.status.classList.add('error');
        bar.status.textContent = state.lastError;
      }
    } finally {
      finish();
    }
  });
  return () => client.stop();
}
