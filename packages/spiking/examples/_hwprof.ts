import { initTensorBackend, Experiment, run } from '../src/index.js';
import { YinYangNetwork, encodeBatch, yinYang, YIN_YANG_SPLITS } from '../src/index.js';
await initTensorBackend();
const e = new Experiment({ mock: false, calibration: 'nominal', chip: { seed: 1 }, weightScale: 93 });
const net = new YinYangNetwork(e);
const data = yinYang(YIN_YANG_SPLITS.train);
for (let k = 0; k < 3; k++) {
  const out = net.call(encodeBatch(data, 0, 50));
  const t = performance.now();
  const info = await run(e, 30);
  const spikes = net.hidden.experiment.edges().length;
  console.log('batch', (performance.now() - t).toFixed(0), 'ms', JSON.stringify(info));
}
await e.close();
