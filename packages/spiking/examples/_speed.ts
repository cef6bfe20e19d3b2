import { initTensorBackend, Experiment, InputNeuron, LIF, LI, Synapse, mixed, run, encodeBatch, yinYang, YIN_YANG_SPLITS, tf } from '../src/index.js';
await initTensorBackend();
const data = yinYang(YIN_YANG_SPLITS.train);
for (const cadc of [true]) {
  const e = new Experiment({ mock: false, calibration: 'nominal', chip: { seed: 1, analog: { idealChip: true } }, dt_ms: 0.5, weightScale: 55 });
  const input = new InputNeuron(e, 25);
  const s1 = new Synapse(e, 25, 120, { init: { mean: 0.15, std: 0.35 } });
  const lif = new LIF(e, 120, { tauMem_ms: 6, tauSyn_ms: 6, cadc });
  const s2 = new Synapse(e, 120, 3, { init: { mean: 0, std: 0.15 } });
  const li = new LI(e, 3, { tauMem_ms: 6, tauSyn_ms: 6 });
  for (let k = 0; k < 3; k++) {
    const x = tf.tile(encodeBatch(data, 0, 50, 0.5), [1, 1, 5]) as tf.Tensor3D;
    li.call(s2.call(lif.call(s1.call(input.call(x)))));
    const t = performance.now();
    const info = await run(e, 60);
    console.log('cadc', cadc, 'batch ms', (performance.now() - t).toFixed(0), 'hw', info.hardware_ms.toFixed(0));
  }
  await e.close();
}
