import { initTensorBackend, trainYinYang } from '../src/index.js';
await initTensorBackend();
const t0 = performance.now();
const r = await trainYinYang({ mock: false, calibration: (process.argv[4] ?? 'nominal') as 'nominal', chip: { seed: 1 } }, { epochs: Number(process.argv[2] ?? 1), trainSamples: Number(process.argv[3] ?? 100), testSamples: 100, onBatch: (b) => console.log('batch', b.batch, b.loss.toFixed(3), ((performance.now() - t0) / 1000).toFixed(1)), onEpoch: (e) => console.log(JSON.stringify(e)) });
console.log('weightScale', r.experiment.weightScale, 'final', r.testAccuracy);
await r.experiment.close();
