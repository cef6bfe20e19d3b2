import { initTensorBackend, trainYinYang } from '../src/index.js';
await initTensorBackend();
const [epochs, lr, decay, scale, dt, quant] = process.argv.slice(2).map(Number);
const r = await trainYinYang({ mock: true, dt_ms: dt, mockOptions: { quantizeWeights: quant === 1 } }, { epochs, learningRate: lr, learningRateDecay: decay, logitScale: scale, onEpoch: (e) => console.log(JSON.stringify(e)) });
console.log('final', r.testAccuracy);
