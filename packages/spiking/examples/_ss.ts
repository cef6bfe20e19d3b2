import { initTensorBackend, trainSuperSpike } from '../src/index.js';
await initTensorBackend();
const t = performance.now();
const r = await trainSuperSpike({ mock: true }, { iterations: Number(process.argv[2] ?? 200), learningRate: Number(process.argv[3] ?? 0.01), kernelSteps: Number(process.argv[4] ?? 10) });
console.log(r.losses.filter((_, i) => i % 20 === 0).map((l) => l.toFixed(2)).join(' '), 'last', r.losses.at(-1), 'out', r.output.join(','), (performance.now() - t).toFixed(0), 'ms');
