// The Yin-Yang page's two figures: the live loss/accuracy chart (uPlot, one point per epoch, updated as epochs
// arrive) and the decision map (a canvas: the test points coloured by the class the trained network predicts).
import uPlot from 'uplot';
import type { DecisionMap, TrainingEpoch } from '../src/training-page.js';
import { chartWidth } from './plots.js';

/** Yin, yang, dot (Tableau 10's blue, orange, green, as the other plots). */
export const CLASS_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f'] as const;
export const CLASS_NAMES = ['yin', 'yang', 'dot'] as const;

export interface TrainingChart {
  readonly chart: uPlot;
  /** Replaces the plotted epochs; returns uPlot's data as drawn. */
  show(epochs: readonly TrainingEpoch[]): { epoch: number[]; loss: number[]; trainAccuracy: number[]; testAccuracy: number[] };
}

function figure(container: HTMLElement, title: string, id: string): HTMLElement {
  const box = document.createElement('figure');
  box.className = 'plot';
  box.id = id;
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', title);
  const heading = document.createElement('h3');
  heading.textContent = title;
  box.append(heading);
  container.append(box);
  return box;
}

/** An empty chart for `epochs` epochs: loss on the left axis, training and test accuracy (0..1) on the right. */
export function trainingChart(container: HTMLElement, epochs: number): TrainingChart {
  const box = figure(container, 'Loss and accuracy per epoch', 'training-chart');
  const chart = new uPlot(
    {
      width: chartWidth(container),
      height: 260,
      scales: { x: { time: false, range: [1, Math.max(2, epochs)] }, loss: { auto: true, range: (_u, min, max) => [0, Math.max(0.1, Number.isFinite(max) ? max * 1.1 : 1, min)] }, accuracy: { auto: false, range: [0, 1] } },
      axes: [
        { label: 'epoch', incrs: [1, 2, 5, 10] },
        { scale: 'loss', label: 'loss (cross-entropy)', size: 60 },
        { scale: 'accuracy', label: 'accuracy', side: 1, size: 60, grid: { show: false } },
      ],
      series: [
        { label: 'epoch' },
        { label: 'loss', scale: 'loss', stroke: '#e15759', width: 2, points: { show: true, size: 6 } },
        { label: 'training accuracy', scale: 'accuracy', stroke: '#76b7b2', width: 2, points: { show: true, size: 6 } },
        { label: 'test accuracy', scale: 'accuracy', stroke: '#4e79a7', width: 2, points: { show: true, size: 6 } },
      ],
    },
    [[], [], [], []],
    box,
  );
  return {
    chart,
    show(list) {
      chart.setData([list.map((e) => e.epoch + 1), list.map((e) => e.loss), list.map((e) => e.trainAccuracy), list.map((e) => e.testAccuracy)]);
      const [epoch, loss, trainAccuracy, testAccuracy] = chart.data.map((series) => Array.from(series as ArrayLike<number>));
      return { epoch: epoch!, loss: loss!, trainAccuracy: trainAccuracy!, testAccuracy: testAccuracy! };
    },
  };
}

/** Draws the decision map into `container`; returns what was drawn. */
export function decisionMapFigure(container: HTMLElement, map: DecisionMap): { points: number; perClass: number[]; wrong: number } {
  const box = figure(container, `Decision map: ${map.x.length} test points, ${(100 * map.accuracy).toFixed(1)} % right`, 'decision-map');
  const side = Math.max(200, Math.min(420, (container.clientWidth || 420) - 8));
  const canvas = document.createElement('canvas');
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(side * ratio);
  canvas.height = Math.round(side * ratio);
  canvas.style.width = `${side}px`;
  canvas.style.height = `${side}px`;
  const perClass = [0, 0, 0];
  let wrong = 0;
  for (let i = 0; i < map.x.length; i++) {
    perClass[map.predicted[i]!]! += 1;
    if (map.predicted[i] !== map.label[i]) wrong++;
  }
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `The Yin-Yang plane: ${perClass.map((n, k) => `${n} points predicted ${CLASS_NAMES[k]}`).join(', ')}; ${wrong} wrong (ringed).`);
  const context = canvas.getContext('2d');
  if (context !== null) {
    context.scale(ratio, ratio);
    const margin = 6;
    // The data set's points lie in [0, 1]² (the reference's r_big = 0.5 around (0.5, 0.5)); y grows upwards.
    const at = (x: number, y: number): [number, number] => [margin + x * (side - 2 * margin), side - margin - y * (side - 2 * margin)];
    context.fillStyle = '#fff';
    context.fillRect(0, 0, side, side);
    context.strokeStyle = '#c9d6e8';
    context.beginPath();
    const [cx, cy] = at(0.5, 0.5);
    context.arc(cx, cy, 0.5 * (side - 2 * margin), 0, 2 * Math.PI);
    context.stroke();
    for (let i = 0; i < map.x.length; i++) {
      const [px, py] = at(map.x[i]!, map.y[i]!);
      context.beginPath();
      context.arc(px, py, 3.5, 0, 2 * Math.PI);
      context.fillStyle = CLASS_COLOURS[map.predicted[i]!] ?? '#000';
      context.fill();
      if (map.predicted[i] !== map.label[i]) {
        context.beginPath();
        context.arc(px, py, 6, 0, 2 * Math.PI);
        context.strokeStyle = '#1d1d1f';
        context.lineWidth = 1.5;
        context.stroke();
      }
    }
  }
  const legend = document.createElement('p');
  legend.className = 'legend';
  for (const [k, name] of CLASS_NAMES.entries()) {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = CLASS_COLOURS[k]!;
    legend.append(swatch, `${name}: ${perClass[k]} `);
  }
  legend.append(`· ringed: wrong (${wrong})`);
  box.append(canvas, legend);
  return { points: map.x.length, perClass, wrong };
}
