import { spikingTarget } from '@bss2/calibration';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { Executor, type NetworkGraph, neuronTarget } from '../src/index.js';
const target = neuronTarget(spikingTarget);
let seed = 3; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const conns = (nPre: number, nPost: number, sign: number) => { const c = []; for (let i = 0; i < nPre; i++) for (let j = 0; j < nPost; j++) { const w = Math.round((rnd() * 2 - 1) * 63); if (Math.sign(w) === sign && w !== 0) c.push({ pre: i, post: j, weight: Math.abs(w) }); } return c; };
const graph: NetworkGraph = {
  populations: [
    { kind: 'external', name: 'input', size: 5 },
    { kind: 'neurons', name: 'hidden', size: 120, neurons: { kind: 'calibrated', target }, recordSpikes: true },
    { kind: 'neurons', name: 'out', size: 3, neurons: { kind: 'calibrated', target, patch: { threshold: { enable: false } } } },
  ],
  projections: [
    { name: 'i-h-e', pre: 'input', post: 'hidden', receptor: 'excitatory', connections: conns(5, 120, 1) },
    { name: 'i-h-i', pre: 'input', post: 'hidden', receptor: 'inhibitory', connections: conns(5, 120, -1) },
    { name: 'h-o-e', pre: 'hidden', post: 'out', receptor: 'excitatory', connections: conns(120, 3, 1) },
    { name: 'h-o-i', pre: 'hidden', post: 'out', receptor: 'inhibitory', connections: conns(120, 3, -1) },
  ],
  recording: { cadc: { neurons: [0, 1, 2].map((index) => ({ population: 'out', index })), interval_cycles: 125, sweep: 'recorded' } },
};
const connection = connectInProcess({ seed: 1 });
const executor = new Executor({ connection, calibration: process.argv[2] === 'cal' ? 'calibrate' : 'nominal' });
const n = Number(process.env.N ?? 100);
const entries = Array.from({ length: n }, () => ({ duration_us: 40, inputs: { input: { kind: 'array' as const, times_us: [0, 1, 2, 3, 4].map(() => [2 + rnd() * 25]) } } }));
let t = performance.now();
await executor.prepare?.(graph);
console.log('prepare ms', performance.now() - t);
for (let rep = 0; rep < 3; rep++) {
  t = performance.now();
  const batch = await executor.runBatch(graph, entries);
  const spikes = batch.entries.reduce((s, e) => s + (e.spikes.get('hidden')?.index.length ?? 0), 0);
  console.log('batch of', n, 'ms', (performance.now() - t).toFixed(0), 'hidden spikes', spikes, 'cadc samples', batch.entries[0]!.cadc[0]?.code.length, JSON.stringify(batch.wall_ms));
}
await connection.close();
