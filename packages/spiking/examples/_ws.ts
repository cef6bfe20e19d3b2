import { initTensorBackend, Experiment, YinYangNetwork, encodeBatch, yinYang, YIN_YANG_SPLITS } from '../src/index.js';
await initTensorBackend();
for (const calibration of ['nominal', 'calibrate'] as const) {
  const e = new Experiment({ mock: false, calibration, chip: { seed: 1 } });
  const net = new YinYangNetwork(e);
  net.call(encodeBatch(yinYang(YIN_YANG_SPLITS.train), 0, 2));
  const t = performance.now();
  console.log(calibration, 'weightScale', await e.hardware().measureWeightScale(e.edges()), ((performance.now() - t) / 1000).toFixed(1), 's');
  await e.close();
}
