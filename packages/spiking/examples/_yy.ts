import { initTensorBackend, trainYinYang } from '../src/index.js';
console.log(await initTensorBackend());
const epochs = Number(process.argv[2] ?? 3);
const r = await trainYinYang({ mock: true }, { epochs, trainSamples: Number(process.argv[3] ?? 5000), onEpoch: (e) => console.log(JSON.stringify(e)) });
console.log('final', r.testAccuracy);
