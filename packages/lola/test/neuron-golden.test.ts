import {
  AtomicNeuronOnDLS,
  BlockPostPulseOnDLS,
  CapMemBlockConfigOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CommonNeuronBackendConfigOnDLS,
  type Coordinate,
  NeuronBackendConfigOnDLS,
  NeuronConfigOnDLS,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  ReferenceGeneratorConfigOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
} from '@bss2/halco';
import { expect, it } from 'vitest';
import {
  AtomicNeuron,
  AtomicNeuronEventRouting,
  BlockPostPulse,
  CapMemBlock,
  CapMemBlockConfig,
  CapMemCell,
  CommonNeuronBackendConfig,
  type Container,
  NeuronBackendConfig,
  NeuronConfig,
  NeuronReset,
  NeuronResetQuad,
  ReferenceGeneratorConfig,
  SpikeCounterRead,
  SpikeCounterReset,
} from '../src/index.js';
import { goldenEntry } from './neuron-support.js';

function entry(container: Container, coord: Coordinate, options: { skipZero?: boolean } = {}): string {
  const type = container.containerType as unknown as { addresses(c: Coordinate): readonly number[] };
  return goldenEntry(container, coord, type.addresses(coord), options);
}

it('pins the word encoding of every neuron and CapMem container', async () => {
  const atomic = new AtomicNeuron({
    excitatoryInput: { enable: true, iBiasTau: 500, iBiasCoba: 11, iShiftReference: 12, iBiasGm: 13, vRevCoba: 300, enableCobaMode: true },
    inhibitoryInput: { enable: true, iBiasTau: 600, iBiasGm: 17, enableSmallCapacitance: false, enableHighResistance: true },
    leak: { vLeak: 700, iBias: 800, enableDivision: true },
    reset: { vReset: 650, iBias: 900, enableMultiplication: true },
    threshold: { enable: true, vThreshold: 750 },
    multicompartment: { connectSoma: true, connectVertical: true, iBiasNmda: 23 },
    constantCurrent: { enable: true, iOffset: 22, type: 'sink' },
    membraneCapacitance: { capacitance: 63 },
    adaptation: { enable: true, invertB: true, vRef: 7, iBiasTau: 18, iBiasA: 19, iBiasB: 20, vLeak: 5 },
    exponential: { vExp: 6, iBias: 21 },
    eventRouting: { ...AtomicNeuronEventRouting.enabled.values(), address: 0xa5 },
    readout: { enableAmplifier: true, source: 'inhSynin' },
    refractoryPeriod: { inputClock: 1, resetHoldoff: 15, refractoryTime: 100, enablePause: true },
    bayesian: { operation: 'xnor', enableMaster: true },
  });
  const block = new CapMemBlock();
  block.set(CapMemCellOnCapMemBlock.synIBiasDac, 1000);
  block.set(CapMemCellOnCapMemBlock.at(0, 0), CapMemCell.disableRefresh);
  block.set(CapMemCellOnCapMemBlock.at(129, 23), 1);

  const entries = [
    entry(new NeuronConfig({ enLeakDiv: true, enStrongFire: true, enFire: true, readoutSelect: 'adaptation', memCapSize: 42, enPause: true, connectSomata: true }), new NeuronConfigOnDLS(130)),
    entry(new NeuronBackendConfig({ addressOut: 0xc3, resetHoldoff: 0b1010, refractoryTime: 0x5a, enSpikeOut: true, en1Bayesian: true }), new NeuronBackendConfigOnDLS(300)),
    entry(new CommonNeuronBackendConfig({ clockScaleSlow: 3, clockScaleFast: 9, samplePosEdge: [true, false, true, false], waitSpikeCounterRead: 200 }), new CommonNeuronBackendConfigOnDLS(1)),
    entry(new NeuronReset(), new NeuronResetOnDLS(300)),
    entry(new NeuronResetQuad(), new NeuronResetQuadOnDLS(70)),
    entry(new BlockPostPulse(), new BlockPostPulseOnDLS(1)),
    entry(new SpikeCounterRead({ count: 200, overflow: true }), new SpikeCounterReadOnDLS(300)),
    entry(new SpikeCounterReset(), new SpikeCounterResetOnDLS(300)),
    entry(new CapMemCell({ value: 700 }), new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(2, 0), new CapMemBlockOnDLS(3))),
    entry(new CapMemCell({ value: CapMemCell.disableRefresh }), CapMemCellOnDLS.readoutMadcIn500na),
    entry(
      new CapMemBlockConfig({ debugReadoutEnable: true, debugCapmemRow: 23, debugCapmemColumn: 129, debugVRefSelect: 'vRefI', debugIOutSelect: 'iOutRamp', enableBoost: true, boostFactor: 9, pauseCounter: 0x12345678, boostA: 0xbeef }),
      new CapMemBlockConfigOnDLS(2),
    ),
    entry(new ReferenceGeneratorConfig({ enableReferenceOutput: true, enableReset: true, capmemOffset: 33, resistorControl: 63 }), new ReferenceGeneratorConfigOnDLS(0)),
    `${entry(block, new CapMemBlockOnDLS(1), { skipZero: true })}\n  (all other words 0)`,
    entry(atomic, new AtomicNeuronOnDLS(256 + 130)),
  ];
  const text = [
    '# Word encodings of the neuron and CapMem containers (lola README, neuron section). Regenerate on purpose with',
    '# `npx vitest run -u test/neuron-golden.test.ts`. Per sample: type @ coordinate, then address: word (hex).',
    ...entries,
    '',
  ].join('\n');
  await expect(text).toMatchFileSnapshot('../../../test-fixtures/lola/neuron.golden.txt');
});
