import { initTensorBackend, trainYinYang } from '../src/index.js';
await initTensorBackend();
const [epochs, lr, decay, scale] = process.argv.slice(2).map(Number);
const r = await trainYinYang({ mock: true }, { epochs, learningRate: lr, learningRateDecay: decay, logitScale: scale, onEpoch: (e) => console.log(JSON.stringify(e)) });
console.log('final', r.testAccuracy);
