// The site's entry: navigation by location hash (works from any static host and from file-less offline copies),
// one worker for the whole stack, started once the first page is interactive.
import { pages } from '../src/pages.js';
import { yinYangPage } from '../src/training-page.js';
import { LabClient } from './lab-client.js';
import { resizeWithWindow } from './plots.js';
import { renderTutorial } from './tutorial.js';
import { charts, element, state } from './ui.js';
import './style.css';

const client = new LabClient();
const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const routes = [...pages.map((p) => ({ id: p.id, title: p.title })), { id: yinYangPage.id, title: yinYangPage.title }, { id: 'editor', title: 'Experiment editor' }];
/** What the page shown last needs done when it is left (the training page stops its worker). */
let leave: (() => void) | undefined;

for (const route of routes) nav.append(element('li', {}, element('a', { href: `#/${route.id}`, textContent: route.title })));

async function show(): Promise<void> {
  const id = location.hash.replace(/^#\/?/, '') || routes[0]!.id;
  const route = routes.find((r) => r.id === id) ?? routes[0]!;
  state.page = route.id;
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${route.id}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${route.title} — bss2 lab`;
  leave?.();
  leave = undefined;
  if (route.id === yinYangPage.id) {
    // tfjs, h5wasm and spiking load only here (their own chunk and worker).
    const { renderTraining } = await import('./training.js');
    leave = renderTraining(main);
  } else if (route.id === 'editor') {
    const { renderEditor } = await import('./editor.js');
    renderEditor(main, client);
  } else {
    renderTutorial(main, pages.find((p) => p.id === route.id)!, client);
  }
}

window.addEventListener('hashchange', () => void show());
resizeWithWindow(charts);
await show();
state.interactiveAt_ms = performance.now();
state.interactive = true;
// The stack (the worker's bundle) loads, and warms up, after the page is usable: the first paint does not wait for it.
setTimeout(() => {
  client.start().then(
    () => {
      state.workerReadyAt_ms = performance.now();
      state.workerReady = true;
    },
    (error: Error) => (state.lastError = error.message),
  );
}, 0);
