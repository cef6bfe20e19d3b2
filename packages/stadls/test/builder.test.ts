import { ALL_BYTE_ENABLES, BarrierMask } from '@bss2/fisch';
import {
  BarrierOnFPGA,
  CapMemCellOnDLS,
  NeuronConfigOnDLS,
  PollingOmnibusBlockOnFPGA,
  SpikeCounterReadOnDLS,
  SpikePack1ToChipOnDLS,
  SpikePack2ToChipOnDLS,
  SpikePack3ToChipOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
  WaitUntilOnFPGA,
  type Coordinate,
} from '@bss2/halco';
import {
  Barrier,
  CapMemCell,
  FieldRangeError,
  NeuronConfig,
  NeuronReset,
  PPUMemoryBlock,
  PPUMemoryBlockOnDLS,
  SpikeCounterRead,
  SpikePack1ToChip,
  SpikePack2ToChip,
  SpikePack3ToChip,
  SynapseBiasSelection,
  SystimeSync,
  Timer,
  TimerValue,
  type Container,
} from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  AccessError,
  CoordinateTypeMismatchError,
  CopyWithReadsError,
  PlaybackProgramBuilder,
  ReferenceMismatchError,
  SelfMergeError,
  StadlsError,
  UnsupportedOperationError,
  WordCountMismatchError,
} from '../src/index.js';

const timer = new TimerOnDLS(0);
const neuron = new NeuronConfigOnDLS(5);

describe('PlaybackProgramBuilder.write', () => {
  it('emits Address + Data per word at the container addresses, word order kept', () => {
    const config = new NeuronConfig({ enFire: true, memCapSize: 17 });
    const program = new PlaybackProgramBuilder().write(neuron, config).done();
    const addresses = NeuronConfig.addresses(neuron);
    const words = config.encode();
    const expected = [...addresses].flatMap((address, i) => [
      { kind: 'OmnibusAddress', address, byteEnables: ALL_BYTE_ENABLES, isRead: false },
      { kind: 'OmnibusData', value: words[i] },
    ]);
    expect(program.toInstructions()).toEqual(expected);
    expect(program.tickets).toEqual([]);
  });

  it('turns a Timer write into timing Setup, SystimeSync into SystimeInit, spike packs into event instructions', () => {
    const builder = new PlaybackProgramBuilder()
      .write(timer, new Timer())
      .write(new SystimeSyncOnFPGA(0), new SystimeSync({ doSync: true }))
      .write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([0x1234]))
      .write(new SpikePack2ToChipOnDLS(0), new SpikePack2ToChip([1, 2]))
      .write(new SpikePack3ToChipOnDLS(0), new SpikePack3ToChip([3, 4, 0xffff]));
    expect(builder.done().toInstructions()).toEqual([
      { kind: 'TimingSetup' },
      { kind: 'SystimeInit', value: true },
      { kind: 'SpikePack1', labels: [0x1234] },
      { kind: 'SpikePack2', labels: [1, 2] },
      { kind: 'SpikePack3', labels: [3, 4, 0xffff] },
    ]);
  });

  it('refuses a Timer of any value but 0 with lola’s FieldRangeError', () => {
    expect(() => new PlaybackProgramBuilder().write(timer, new Timer({ value: 3 }))).toThrow(FieldRangeError);
  });

  it('names container type, expected coordinate type and the coordinate given on a mismatch', () => {
    const builder = new PlaybackProgramBuilder();
    const wrong = new CapMemCellOnDLS(7) as unknown as Coordinate;
    const error = (() => {
      try {
        builder.write(wrong, new NeuronConfig());
      } catch (e) {
        return e;
      }
    })() as CoordinateTypeMismatchError;
    expect(error).toBeInstanceOf(CoordinateTypeMismatchError);
    expect(error).toBeInstanceOf(StadlsError);
    expect(error.message).toContain('NeuronConfig');
    expect(error.message).toContain('NeuronConfigOnDLS');
    expect(error.message).toContain('CapMemCellOnDLS(7)');
    expect(() => builder.write(timer, new SpikePack1ToChip([1]))).toThrow(/SpikePack1ToChip.*SpikePack1ToChipOnDLS.*TimerOnDLS\(0\)/);
    expect(builder.empty()).toBe(true);
  });

  it('refuses read-only containers, references of another type and things that are no container', () => {
    const builder = new PlaybackProgramBuilder();
    expect(() => builder.write(new SpikeCounterReadOnDLS(0), new SpikeCounterRead())).toThrow(AccessError);
    expect(() => builder.write(neuron, new NeuronConfig(), new CapMemCell() as unknown as NeuronConfig)).toThrow(ReferenceMismatchError);
    expect(() => builder.write(neuron, {} as unknown as Container)).toThrow(UnsupportedOperationError);
    expect(() => builder.write(neuron, new TimerValue(1) as unknown as Container)).toThrow(UnsupportedOperationError);
    expect(builder.empty()).toBe(true);
  });

  it('refuses a container whose word count differs from its coordinate’s addresses', () => {
    const coord = PPUMemoryBlockOnDLS.all().next().value as Coordinate;
    const length = PPUMemoryBlock.addresses(coord as never).length;
    expect(() => new PlaybackProgramBuilder().write(coord, new PPUMemoryBlock(length + 1))).toThrow(WordCountMismatchError);
  });
});

describe('PlaybackProgramBuilder.read', () => {
  it('emits one read Address per word and counts the responses', () => {
    const builder = new PlaybackProgramBuilder();
    const ticket = builder.read(neuron, NeuronConfig);
    expect(ticket.wordCount).toBe(6);
    expect(builder.sizeToFpga()).toBe(6);
    expect(builder.sizeFromFpga()).toBe(6);
    expect(builder.isWriteOnly()).toBe(false);
    const program = builder.done();
    expect(program.toInstructions()).toEqual(
      [...NeuronConfig.addresses(neuron)].map((address) => ({ kind: 'OmnibusAddress', address, byteEnables: ALL_BYTE_ENABLES, isRead: true })),
    );
    expect(program.tickets).toEqual([ticket]);
    expect(program.expectedResponses).toEqual({ omnibusData: 6, jtagData: 0, loopback: 0 });
  });

  it('refuses write-only containers, spike packs and coordinates of another type', () => {
    const builder = new PlaybackProgramBuilder();
    expect(() => builder.read(new SpikeCounterReadOnDLS(0) as never, NeuronReset as never)).toThrow(CoordinateTypeMismatchError);
    expect(() => builder.read(new CapMemCellOnDLS(0) as never, SynapseBiasSelection as never)).toThrow(CoordinateTypeMismatchError);
    expect(() => builder.read(neuron as never, CapMemCell as never)).toThrow(/CapMemCell lives at CapMemCellOnDLS.*NeuronConfigOnDLS\(5\)/);
    const bias = SynapseBiasSelection.coordinateType;
    expect(() => builder.read(new bias(0), SynapseBiasSelection)).toThrow(AccessError);
    expect(() => builder.read(new SpikePack1ToChipOnDLS(0) as never, SpikePack1ToChip as never)).toThrow(AccessError);
    expect(() => builder.read(neuron as never, {} as never)).toThrow(UnsupportedOperationError);
    expect(builder.empty()).toBe(true);
  });
});

describe('PlaybackProgramBuilder.blockUntil', () => {
  it('lowers timer, barrier and polling conditions to their timing instructions', () => {
    const builder = new PlaybackProgramBuilder()
      .blockUntil(timer, new TimerValue(1234))
      .blockUntil(new WaitUntilOnFPGA(0), TimerValue.fromMicroseconds(2))
      .waitUntil(0xffffffff)
      .blockUntil(new BarrierOnFPGA(0), Barrier.omnibus.union(Barrier.systime))
      .blockUntil(new PollingOmnibusBlockOnFPGA(0), { enableExpectsEquality: false });
    expect(builder.done().toInstructions()).toEqual([
      { kind: 'WaitUntil', value: 1234 },
      { kind: 'WaitUntil', value: 250 },
      { kind: 'WaitUntil', value: 0xffffffff },
      { kind: 'Barrier', mask: BarrierMask.omnibus | BarrierMask.systime },
      { kind: 'PollingOmnibusBlock', value: false },
    ]);
  });

  it('refuses a condition at the wrong coordinate or an unknown condition', () => {
    const builder = new PlaybackProgramBuilder();
    expect(() => builder.blockUntil(new BarrierOnFPGA(0), new TimerValue(1))).toThrow(CoordinateTypeMismatchError);
    expect(() => builder.blockUntil(timer, Barrier.omnibus)).toThrow(/Barrier lives at BarrierOnFPGA.*TimerOnDLS/);
    expect(() => builder.blockUntil(timer, { enableExpectsEquality: true })).toThrow(CoordinateTypeMismatchError);
    expect(() => builder.blockUntil(timer, 5 as never)).toThrow(UnsupportedOperationError);
    expect(() => builder.waitUntil(-1)).toThrow(FieldRangeError);
    expect(builder.empty()).toBe(true);
  });
});

describe('merge and copy', () => {
  function writes(...values: number[]): PlaybackProgramBuilder {
    const builder = new PlaybackProgramBuilder();
    for (const v of values) builder.write(new CapMemCellOnDLS(v), new CapMemCell({ value: v }));
    return builder;
  }
  const data = (b: PlaybackProgramBuilder) =>
    b.done().toInstructions().flatMap((i) => (i.kind === 'OmnibusData' ? [i.value] : []));

  it('mergeBack appends and empties the other; mergeFront prepends', () => {
    const a = writes(1, 2);
    const b = writes(3);
    expect(data(a.mergeBack(b))).toEqual([1, 2, 3]);
    expect(b.empty()).toBe(true);
    const c = writes(1, 2);
    const d = writes(3);
    expect(data(c.mergeFront(d))).toEqual([3, 1, 2]);
    expect(d.empty()).toBe(true);
  });

  it('copyBack appends a copy of a write-only builder and leaves it as it was', () => {
    const a = writes(1);
    const b = writes(2, 3);
    a.copyBack(b).copyBack(b);
    expect(data(a)).toEqual([1, 2, 3, 2, 3]);
    expect(data(b)).toEqual([2, 3]);
  });

  it('copyBack refuses a builder with reads; merging a builder into itself is refused', () => {
    const a = writes(1);
    const b = new PlaybackProgramBuilder();
    b.read(neuron, NeuronConfig);
    expect(() => a.copyBack(b)).toThrow(CopyWithReadsError);
    expect(() => a.mergeBack(a)).toThrow(SelfMergeError);
    expect(() => a.mergeFront(a)).toThrow(SelfMergeError);
    expect(() => a.copyBack(a)).toThrow(SelfMergeError);
  });

  it('merged tickets keep their words: offsets shift by the reads before them', () => {
    const front = new PlaybackProgramBuilder();
    const t1 = front.read(new CapMemCellOnDLS(1), CapMemCell);
    const back = new PlaybackProgramBuilder();
    const t2 = back.read(neuron, NeuronConfig);
    const middle = new PlaybackProgramBuilder();
    const t0 = middle.read(new CapMemCellOnDLS(0), CapMemCell);
    middle.mergeBack(back).mergeFront(front);
    const program = middle.done();
    expect(program.tickets).toEqual([t1, t0, t2]);
    expect(program.expectedResponses.omnibusData).toBe(8);
  });
});

describe('queries and done()', () => {
  it('reports sizes and resets the builder on done()', () => {
    const builder = new PlaybackProgramBuilder();
    expect(builder.empty()).toBe(true);
    expect(builder.isWriteOnly()).toBe(true);
    builder.write(neuron, new NeuronConfig()).read(new CapMemCellOnDLS(3), CapMemCell);
    expect(builder.sizeToFpga()).toBe(13);
    expect(builder.sizeFromFpga()).toBe(1);
    expect(builder.toString()).toBe('PlaybackProgramBuilder(13 instructions, 1 tickets)');
    const program = builder.done();
    expect(program.instructionCount).toBe(13);
    expect(builder.empty()).toBe(true);
    expect(builder.sizeFromFpga()).toBe(0);
    expect(builder.done().instructionCount).toBe(0);
  });
});
