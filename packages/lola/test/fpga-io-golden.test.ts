// Golden fixture of the I/O area (crossbar, background generators, readout, FPGA timing, PPU): the words each
// container writes at its omnibus addresses, for one non-default instance per type. Layout changes show up as
// a diff of test-fixtures/lola/io.golden.txt.
import {
  BackgroundSpikeSourceOnDLS,
  CADCChannelConfigOnDLS,
  CADCConfigOnDLS,
  CADCSampleQuadOnDLS,
  type Coordinate,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputConfigOnDLS,
  CrossbarOutputOnDLS,
  EventRecordingConfigOnFPGA,
  ExternalPPUDRAMMemoryByteOnFPGA,
  ExternalPPUMemoryByteOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  PPUControlRegisterOnDLS,
  PPUMemoryOnDLS,
  PPUMemoryWordOnDLS,
  PPUMemoryWordOnPPU,
  PPUOnDLS,
  PPUStatusRegisterOnDLS,
  PadMultiplexerConfigOnDLS,
  PollingOmnibusBlockConfigOnFPGA,
  ReadoutSourceSelectionOnDLS,
  SourceMultiplexerOnReadoutSourceSelection,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from '@bss2/halco';
import { expect, it } from 'vitest';
import {
  BackgroundSpikeSource,
  Barrier,
  CADCChannelConfig,
  CADCConfig,
  CADCSampleQuad,
  type Container,
  CrossbarInputDropCounter,
  CrossbarNode,
  CrossbarOutputConfig,
  CrossbarOutputEventCounter,
  EventRecordingConfig,
  ExternalPPUDRAMMemoryByte,
  ExternalPPUMemoryBlock,
  ExternalPPUMemoryBlockOnFPGA,
  ExternalPPUMemoryByte,
  InstructionTimeoutConfig,
  MADCConfig,
  MADCControl,
  PPUControlRegister,
  PPUMemory,
  PPUMemoryBlock,
  PPUMemoryBlockOnDLS,
  PPUMemoryWord,
  PPUStatusRegister,
  PadMultiplexerConfig,
  PollingOmnibusBlockConfig,
  ReadoutSourceSelection,
  SpikePack3ToChip,
  SystimeSync,
  SystimeSyncBase,
  Timer,
  TimerValue,
  disconnectedSourceMultiplexer,
} from '../src/index.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

function sample(container: Container, coord: Coordinate, options: { skipZeroWords?: boolean } = {}): string {
  const type = container.containerType;
  const addresses = type.addresses(coord);
  const words = container.encode();
  expect(addresses).toHaveLength(words.length);
  const lines = [`${type.typeName} at ${coord.toString()}`];
  let skipped = 0;
  words.forEach((word, i) => {
    if (options.skipZeroWords === true && word === 0) skipped++;
    else lines.push(`  ${hex(addresses[i]!)}: ${hex(word)}`);
  });
  if (skipped > 0) lines.push(`  (the other ${skipped} words are 0)`);
  return lines.join('\n');
}

const counters = Array.from({ length: 12 }, (_, i) => i % 3 === 0);
const mailboxMemory = new PPUMemory();
mailboxMemory.setWord(0, 0x4800_0000);
mailboxMemory.returnCode = 0xdead_beef;
mailboxMemory.setMailbox([0x6865_6c6c, 0x6f00_0000]);

const samples: string[] = [
  sample(new CrossbarNode({ mask: 0x3f00, target: 0x0300, enableDropCounter: true }), new CrossbarNodeOnDLS(5)),
  sample(new CrossbarOutputConfig({ enableSlow: [true, false, true, false], enableEventCounter: counters }), new CrossbarOutputConfigOnDLS(0)),
  sample(new CrossbarInputDropCounter({ value: 0xbeef }), new CrossbarInputOnDLS(19)),
  sample(new CrossbarOutputEventCounter({ value: 0xab_cdef }), new CrossbarOutputOnDLS(11)),
  sample(
    new BackgroundSpikeSource({ enable: true, enableRandom: true, neuronLabel: 0x2abc, period: 0x1234, rate: 0x80, seed: 0xcafe_f00d, mask: 0x0f }),
    new BackgroundSpikeSourceOnDLS(7),
  ),
  sample(new CADCConfig({ enable: true, resetWait: 0x5a, deadTime: 0xa5 }), new CADCConfigOnDLS(1)),
  sample(new CADCChannelConfig({ offset: -100 }), new CADCChannelConfigOnDLS(700)),
  sample(new CADCSampleQuad({ samples: [1, 0x80, 0xfe, 0x33] }), new CADCSampleQuadOnDLS(65536 + 3 * 16384 + 129)),
  sample(
    new MADCConfig({
      activeMuxInitiallySelectedInput: 1,
      activeMuxInputSelectLength: 1,
      sampleDurationAdjust: 7,
      enableSarResetOnFall: true,
      sarResetWait: 2,
      sarResetLength: 1,
      powerupWaitValue: 1000,
      conversionCyclesOffset: 9,
      calibrationWaitValue: 0x155,
      enableCalibration: true,
      numberOfSamples: 0xfedc,
      preampSamplingWindowStart: 1,
      preampSamplingWindowEnd: 30,
      iconvSamplingWindowStart: 2,
      iconvSamplingWindowEnd: 29,
      sampleOnPositiveEdge: false,
      enableDummyData: true,
      connectPreampToMadc: false,
      connectPadsToMadc: true,
      connectPreampToPads: true,
      preampGainCapacitorSize: 17,
      enableMadcClockScaling: true,
      madcClockScaleValue: 0xabc,
      enableActiveMuxAmplifiers: false,
      enablePseudoDifferentialReference: [true, false],
      signalSelectionConnectCurrentMeter: true,
      signalSelectionConnectActiveMux: false,
      signalSelectionConnectDebug: true,
      signalSelectionConnectPreamp: false,
      enableIconvAmplifier: true,
      connectIconvNeuron: [false, true],
      connectIconvSynapse: [true, false],
    }),
    new MADCConfigOnDLS(0),
  ),
  sample(new MADCControl({ wakeUp: true, startRecording: true, enablePreAmplifier: true }), new MADCControlOnDLS(0)),
  sample(
    new ReadoutSourceSelection({ enableBufferToPad: [true, false] })
      .withSourceMultiplexer(new SourceMultiplexerOnReadoutSourceSelection(0), { ...disconnectedSourceMultiplexer, neuronEven: [true, false] })
      .withSourceMultiplexer(new SourceMultiplexerOnReadoutSourceSelection(1), { ...disconnectedSourceMultiplexer, debugPlus: true, synapseDriverDebug: [false, true] }),
    new ReadoutSourceSelectionOnDLS(0),
  ),
  sample(
    new PadMultiplexerConfig({ bufferToPad: [false, true], capmemVRefMux: [true, false, false, false], capmemVRefMuxToCapmemIntermediateMux: true, capmemIntermediateMuxToPad: true }),
    new PadMultiplexerConfigOnDLS(1),
  ),
  sample(new Timer(), new TimerOnDLS(0)),
  sample(new SystimeSyncBase({ value: 0x7ab_1234_5678 }), new SystimeSyncBaseOnDLS(0)),
  sample(new SystimeSync({ doSync: true }), new SystimeSyncOnFPGA(0)),
  sample(new EventRecordingConfig({ enableEventRecording: true }), new EventRecordingConfigOnFPGA(0)),
  sample(new InstructionTimeoutConfig({ value: 125_000 }), new InstructionTimeoutConfigOnFPGA(0)),
  sample(new PollingOmnibusBlockConfig({ address: 0x0380_0bff, mask: 0xff, target: 0x42 }), new PollingOmnibusBlockConfigOnFPGA(0)),
  sample(new PPUMemoryWord({ value: 0xdead_beef }), new PPUMemoryWordOnDLS(new PPUMemoryWordOnPPU(3071), PPUOnDLS.bottom)),
  sample(new PPUControlRegister({ inhibitReset: false, cacheControllerEnable: true }), new PPUControlRegisterOnDLS(1)),
  sample(new PPUStatusRegister({ sleep: true }), new PPUStatusRegisterOnDLS(0)),
  sample(new ExternalPPUMemoryByte({ value: 0xa5 }), new ExternalPPUMemoryByteOnFPGA(0x1_ffff)),
  sample(new ExternalPPUDRAMMemoryByte({ value: 0x5a }), new ExternalPPUDRAMMemoryByteOnFPGA(0x0fff_ffff)),
  sample(new PPUMemoryBlock([1, 2, 3, 0xffff_ffff]), new PPUMemoryBlockOnDLS(PPUOnDLS.bottom, new PPUMemoryWordOnPPU(3070), 4)),
  sample(mailboxMemory, PPUMemoryOnDLS.top, { skipZeroWords: true }),
  sample(new ExternalPPUMemoryBlock([1, 2, 0xff]), new ExternalPPUMemoryBlockOnFPGA(new ExternalPPUMemoryByteOnFPGA(0x100), 3)),
];

// Block-until conditions and spike packs become fisch instructions, not omnibus words: pin their JSON forms.
const values = [
  `TimerValue ${JSON.stringify(TimerValue.fromMicroseconds(10_000))}`,
  `Barrier mask ${Barrier.omnibus.union(Barrier.systime).mask} ${JSON.stringify(Barrier.omnibus.union(Barrier.systime))}`,
  `SpikePack3ToChip ${JSON.stringify(new SpikePack3ToChip([0x0001, 0x4123, 0xffff]))}`,
];

it('matches the golden I/O encodings', async () => {
  const text = [
    '# lola I/O containers (crossbar, background generators, readout, FPGA timing, PPU): one non-default',
    '# instance per type, its coordinate and `address: word` pairs in hex. Timer encodes only 0 (a reset).',
    '# Regenerate on purpose: cd packages/lola && npx vitest run test/fpga-io-golden.test.ts -u',
    '',
    ...samples.flatMap((s) => [s, '']),
    ...values,
    '',
  ].join('\n');
  await expect(text).toMatchFileSnapshot('../../../test-fixtures/lola/io.golden.txt');
});
