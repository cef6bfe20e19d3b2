import { initTensorBackend, trainYinYang, evaluateYinYang, yinYang, YIN_YANG_SPLITS } from '../src/index.js';
await initTensorBackend();
const t0 = performance.now();
const log = (...a: unknown[]) => console.log(((performance.now() - t0) / 1000).toFixed(0) + 's', ...a);
const pre = await trainYinYang({ mock: true }, { epochs: Number(process.argv[2] ?? 8), seed: Number(process.argv[4] ?? 1), onEpoch: (e) => log('mock', JSON.stringify(e)) });
const hil = await trainYinYang({ mock: false, calibration: 'calibrate', chip: { seed: 1 } }, {
  epochs: Number(process.argv[3] ?? 1), seed: Number(process.argv[4] ?? 1), startFrom: pre, learningRate: Number(process.argv[5] ?? 0.001),
  onBatch: (b) => { if (b.batch % 10 === 0) log('hil batch', b.batch, b.loss.toFixed(3)); },
  onEpoch: (e) => log('hil', JSON.stringify(e)),
});
log('weightScale', hil.experiment.weightScale, 'chip test accuracy', hil.testAccuracy);
await hil.experiment.close(); await pre.experiment.close();
