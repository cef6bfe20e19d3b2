// The site's entry: navigation by location hash (works from any static host and from file-less offline copies),
// one worker for the whole stack, started once the first page is interactive.
import { pages } from '../src/pages.js';
import { LabClient } from './lab-client.js';
import { renderTutorial } from './tutorial.js';
import { element, state } from './ui.js';
import './style.css';

const client = new LabClient();
const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const routes = [...pages.map((p) => ({ id: p.id, title: p.title })), { id: 'editor', title: 'Experiment editor' }];

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
  if (route.id === 'editor') {
    const { renderEditor } = await import('./editor.js');
    renderEditor(main, client);
  } else {
    renderTutorial(main, pages.find((p) => p.id === route.id)!, client);
  }
}

window.addEventListener('hashchange', () => void show());
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
