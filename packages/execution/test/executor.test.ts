import { afterEach, describe, expect, it } from 'vitest';
import { AtomicNeuron } from '@bss2/lola';
import { type ContainerClass, PlaybackProgramBuilder, run } from '@bss2/stadls';
import { CYCLES_PER_US, type Executor, GraphError, RecordingPlanError, RunRequestError, ExecutorClosedError, type NetworkGraph } from '../src/index.js';
import { bypass, idealExecutor, relayGraph, timesOf } from './support.js';

const executors: Executor[] = [];
function executor(...args: Parameters<typeof idealExecutor>): Executor {
  const e = idealExecutor(...args);
  executors.push(e);
  return e;
}
afterEach(async () => {
  for (const e of executors.splice(0)) await e.connection.close();
});

describe('Executor.run', () => {
  it('relays every input spike through its own neuron, on the cycle grid, in chip time', async () => {
    const e = executor();
    const times = [[1, 5.5], [2.004], [], [3, 3.5, 9]];
    const report = await e.run(relayGraph(4), { duration_us: 10, inputs: { input: { kind: 'array', times_us: times } } });
    const relayed = timesOf(report.spikes, 'relay', 4);
    relayed.forEach((got, i) => {
      expect(got).toHaveLength(times[i]!.length);
      // A bypass neuron fires when the event arrives: a few cycles after it was sent.
      got.forEach((t, k) => expect(t - times[i]![k]!).toBeGreaterThanOrEqual(0));
      got.forEach((t, k) => expect(t - times[i]![k]!).toBeLessThan(0.5));
    });
    expect(report.inputCount).toBe(6);
    expect(report.start_us).toBe(0);
    expect(report.end_us).toBe(10);
    expect(e.time_us).toBe(10);
  });

  it('records only the members asked for, and sent spikes of recorded sources on the cycle grid', async () => {
    const e = executor();
    const graph = relayGraph(3);
    const recorded: NetworkGraph = {
      ...graph,
      populations: [
        { kind: 'external', name: 'input', size: 3, recordSpikes: [false, true, false] },
        { kind: 'neurons', name: 'relay', size: 3, neurons: bypass, recordSpikes: [true, false, true] },
      ],
    };
    const report = await e.run(recorded, { duration_us: 5, inputs: { input: { kind: 'array', times_us: [[1], [1.0031], [2]] } } });
    expect(timesOf(report.spikes, 'relay', 3).map((t) => t.length)).toEqual([1, 0, 1]);
    const sent = report.inputSpikes.get('input')!;
    expect(sent.index).toEqual([1]);
    expect(sent.time_us[0]! * CYCLES_PER_US).toBeCloseTo(Math.round(1.0031 * CYCLES_PER_US), 9);
  });

  it('continues a segment: two runs give the spikes of one, and reset() starts a new segment at time 0', async () => {
    const inputs = { input: { kind: 'array' as const, times_us: [[1, 4, 7], [2.5, 6.2]] } };
    const whole = executor();
    const once = await whole.run(relayGraph(2), { duration_us: 8, inputs });
    const split = executor();
    const first = await split.run(relayGraph(2), { duration_us: 3, inputs });
    const second = await split.run(relayGraph(2), { duration_us: 5, inputs });
    expect(second.settled).toBe(false);
    expect(second.program.instructionCount).toBeLessThan(first.program.instructionCount / 10);
    const joined = timesOf(first.spikes, 'relay', 2).map((t, i) => [...t, ...timesOf(second.spikes, 'relay', 2)[i]!]);
    expect(joined).toEqual(timesOf(once.spikes, 'relay', 2));
    split.reset();
    expect(split.time_us).toBe(0);
    const again = await split.run(relayGraph(2), { duration_us: 8, inputs });
    expect(again.settled).toBe(true);
    expect(timesOf(again.spikes, 'relay', 2)).toEqual(timesOf(once.spikes, 'relay', 2));
  });

  it('writes only new weights when only weights change, and routes again when connections do', async () => {
    const e = executor();
    const inputs = { input: { kind: 'array' as const, times_us: [[1], [1]] } };
    await e.run(relayGraph(2, 63), { duration_us: 2, inputs });
    const routing = e.routing;
    const lighter = await e.run(relayGraph(2, 20), { duration_us: 2, inputs });
    expect(e.routing).not.toBe(routing);
    expect(lighter.settled).toBe(false);
    expect(lighter.program.instructionCount).toBeLessThan(100);
    const crossed: NetworkGraph = { ...relayGraph(2), projections: [{ name: 'input→relay', pre: 'input', post: 'relay', receptor: 'excitatory', connections: [{ pre: 0, post: 1, weight: 63 }, { pre: 1, post: 0, weight: 63 }] }] };
    const rerouted = await e.run(crossed, { duration_us: 4, inputs: { input: { kind: 'array', times_us: [[e.time_us + 1], []] } } });
    expect(timesOf(rerouted.spikes, 'relay', 2).map((t) => t.length)).toEqual([0, 1]);
  });

  it('after weight updates and new routings the chip holds exactly the event path of the last routing', async () => {
    const e = executor();
    const inputs = { input: { kind: 'array' as const, times_us: [[1], [1], [], []] } };
    await e.run(relayGraph(4, 63), { duration_us: 2, inputs });
    await e.run(relayGraph(4, 17), { duration_us: 2, inputs });
    // One more connection: routed anew, the relay synapses in their old places with the first weights (63),
    // which the chip no longer holds (17) — written although they equal what the first routing wrote.
    const extended: NetworkGraph = {
      ...relayGraph(4),
      projections: [{ name: 'input→relay', pre: 'input', post: 'relay', receptor: 'excitatory', connections: [...[0, 1, 2, 3].map((i) => ({ pre: i, post: i, weight: 63 })), { pre: 0, post: 1, weight: 5 }] }],
    };
    await e.run(extended, { duration_us: 2, inputs });
    const builder = new PlaybackProgramBuilder();
    const reads = e.routing!.writes().map((w) => ({ w, ticket: builder.read(w.coordinate, w.container.constructor as ContainerClass) }));
    await run(e.connection, builder.done());
    const differing = reads.filter(({ w, ticket }) => !ticket.get().equals(w.container)).map(({ w }) => w.coordinate.toString());
    expect(differing).toEqual([]);
  });

  it('draws Poisson inputs that continue across the runs of a segment and start anew after reset()', async () => {
    const source = { kind: 'poisson' as const, rate_hz: [2e5, 2e5], start_us: [0, 0], stop_us: [1e9, 1e9], seed: 7 };
    const graph: NetworkGraph = { ...relayGraph(2), populations: [{ kind: 'external', name: 'input', size: 2, recordSpikes: true }, { kind: 'neurons', name: 'relay', size: 2, neurons: bypass }] };
    const whole = executor();
    const once = (await whole.run(graph, { duration_us: 100, inputs: { input: source } })).inputSpikes.get('input')!;
    const split = executor();
    const a = (await split.run(graph, { duration_us: 40, inputs: { input: source } })).inputSpikes.get('input')!;
    const b = (await split.run(graph, { duration_us: 60, inputs: { input: source } })).inputSpikes.get('input')!;
    // Equal on the cycle grid (the second run adds its start to its times, floating point may differ in the last bit).
    const cycles = (times: number[]) => times.map((t) => Math.round(t * CYCLES_PER_US)).sort((x, y) => x - y);
    expect(cycles([...a.time_us, ...b.time_us])).toEqual(cycles(once.time_us));
    // 2 sources × 200 kHz × 100 µs = 40 expected.
    expect(once.index.length).toBeGreaterThan(20);
    expect(once.index.length).toBeLessThan(65);
  });

  it('records membranes with the MADC and the CADC at their sample times', async () => {
    const e = executor();
    const graph: NetworkGraph = {
      populations: [{ kind: 'neurons', name: 'n', size: 3, neurons: { kind: 'raw', neuron: new AtomicNeuron() } }],
      projections: [],
      recording: { madc: { channels: [{ population: 'n', index: 0, source: 'membrane' }] }, cadc: { neurons: [{ population: 'n', index: 1 }, { population: 'n', index: 2 }], interval_cycles: 250 } },
    };
    const report = await e.run(graph, { duration_us: 10 });
    const madc = report.madc[0]!;
    expect(madc.population).toBe('n');
    expect(madc.time_us.length).toBeGreaterThan(250);
    const steps = madc.time_us.slice(1).map((t, i) => t - madc.time_us[i]!);
    // Samples are stamped on the FPGA cycle grid: each step is the period within a cycle, on average the period.
    for (const s of steps) expect(Math.abs(s - madc.channelPeriod_us)).toBeLessThanOrEqual(1 / CYCLES_PER_US + 1e-9);
    expect((madc.time_us.at(-1)! - madc.time_us[0]!) / steps.length).toBeCloseTo(madc.channelPeriod_us, 3);
    expect(report.cadc.map((c) => c.index).sort()).toEqual([1, 2]);
    for (const c of report.cadc) expect(c.time_us.length).toBe(5);
  });

  it("samples only the recorded neurons' quads with sweep 'recorded', as often as every cycle per read", async () => {
    const graph = (sweep: 'all' | 'recorded', interval_cycles: number): NetworkGraph => ({
      populations: [{ kind: 'neurons', name: 'n', size: 3, neurons: { kind: 'raw', neuron: new AtomicNeuron() } }],
      projections: [],
      recording: { cadc: { neurons: [{ population: 'n', index: 0 }, { population: 'n', index: 2 }], interval_cycles, sweep } },
    });
    const fast = await executor().run(graph('recorded', 2), { duration_us: 2 });
    // Neurons 0 and 2 sit on circuits 0 and 2: one quad, one read per sweep, a sweep every 2 cycles.
    for (const c of fast.cadc) expect(c.time_us.length).toBe(125);
    expect(fast.cadc[0]!.time_us.slice(0, 3)).toEqual([0, 0.016, 0.032]);
    const all = await executor().run(graph('all', 250), { duration_us: 10 });
    const recorded = await executor().run(graph('recorded', 250), { duration_us: 10 });
    // The same read of the same quad, at the same position of the sweep: the same codes.
    for (const [i, c] of recorded.cadc.entries()) {
      expect(c.code).toEqual(all.cadc[i]!.code);
      expect(c.time_us).toEqual(all.cadc[i]!.time_us);
    }
    await expect(executor().run(graph('all', 2), { duration_us: 1 })).rejects.toThrow(/shorter than one sweep of all neurons \(128 reads/);
    await expect(executor().run(graph('recorded', 0), { duration_us: 1 })).rejects.toThrow(/0 cycles is shorter than one sweep of the recorded neurons \(1 reads/);
    await expect(executor().run(graph('some' as 'all', 250), { duration_us: 1 })).rejects.toThrow(/'all' or 'recorded', not "some"/);
  });

  it('refuses bad graphs, recordings and requests with typed errors naming the culprit', async () => {
    const e = executor();
    await expect(e.run(relayGraph(2), { duration_us: -1 })).rejects.toThrow(RunRequestError);
    await expect(e.run(relayGraph(2), { duration_us: Number.NaN })).rejects.toThrow(/duration ≥ 0 µs, got NaN/);
    await expect(e.run(relayGraph(2), { duration_us: 1, inputs: { input: { kind: 'array', times_us: [[1]] } } })).rejects.toThrow(/has 1 members, the population 2/);
    await expect(e.run(relayGraph(2), { duration_us: 1, inputs: { relay: { kind: 'array', times_us: [[1], [1]] } } })).rejects.toThrow(/'relay', which is no external population/);
    await expect(e.run(relayGraph(2), { duration_us: 1, inputs: { input: { kind: 'array', times_us: [[Infinity], []] } } })).rejects.toThrow(/time Infinity µs at member 0/);
    const wrongSize: NetworkGraph = { ...relayGraph(2), populations: [{ kind: 'external', name: 'input', size: 2 }, { kind: 'neurons', name: 'relay', size: 2, neurons: [bypass] }] };
    await expect(e.run(wrongSize, { duration_us: 1 })).rejects.toThrow(GraphError);
    const three: NetworkGraph = { ...relayGraph(3), recording: { madc: { channels: [0, 1, 2].map((index) => ({ population: 'relay', index, source: 'membrane' as const })) } } };
    await expect(e.run(three, { duration_us: 1 })).rejects.toThrow(RecordingPlanError);
    const sameLine: NetworkGraph = { ...relayGraph(3), recording: { madc: { channels: [0, 2].map((index) => ({ population: 'relay', index, source: 'membrane' as const })) } } };
    await expect(e.run(sameLine, { duration_us: 1 })).rejects.toThrow(/share the readout line neuronEvenTop/);
    const shortSweep: NetworkGraph = { ...relayGraph(1), recording: { cadc: { neurons: [{ population: 'relay', index: 0 }], interval_cycles: 100 } } };
    await expect(e.run(shortSweep, { duration_us: 1 })).rejects.toThrow(/shorter than one sweep/);
    await expect(e.runBatch(relayGraph(1), [])).rejects.toThrow(RunRequestError);
    // After refused requests the executor still works.
    const ok = await e.run(relayGraph(2), { duration_us: 3, inputs: { input: { kind: 'array', times_us: [[1], [2]] } } });
    expect(timesOf(ok.spikes, 'relay', 2).map((t) => t.length)).toEqual([1, 1]);
    e.close();
    await expect(e.run(relayGraph(2), { duration_us: 1 })).rejects.toThrow(ExecutorClosedError);
  });
});

describe('Executor.runBatch', () => {
  it('runs entries from rest, each in its own segment, with the spikes of separate runs', async () => {
    const entries = Array.from({ length: 6 }, (_, k) => ({ duration_us: 6, inputs: { input: { kind: 'array' as const, times_us: [[1 + k * 0.5], [2, 5 - k * 0.25], []] } } }));
    const batched = executor();
    const batch = await batched.runBatch(relayGraph(3), entries);
    expect(batch.programs).toHaveLength(1);
    const separate = executor();
    for (const [k, entry] of entries.entries()) {
      separate.reset();
      const single = await separate.run(relayGraph(3), entry);
      expect(timesOf(batch.entries[k]!.spikes, 'relay', 3)).toEqual(timesOf(single.spikes, 'relay', 3));
      expect(batch.entries[k]!.start_us).toBe(0);
    }
    expect(batched.segment).toBe(entries.length);
  });

  it('waits interEntryWait_us between entries instead of the relaxation, and refuses waits outside 0..settling', async () => {
    const entries = Array.from({ length: 4 }, (_, k) => ({ duration_us: 5, inputs: { input: { kind: 'array' as const, times_us: [[1 + k]] } } }));
    const e = executor();
    const relaxed = await e.runBatch(relayGraph(1), entries);
    const quick = await e.runBatch(relayGraph(1), entries, { interEntryWait_us: 2 });
    // Bypass neurons keep no state: the same spikes with a short wait, in a shorter program.
    expect(quick.entries.map((r) => timesOf(r.spikes, 'relay', 1))).toEqual(relaxed.entries.map((r) => timesOf(r.spikes, 'relay', 1)));
    for (const bad of [-1, Number.NaN, 1e9]) await expect(e.runBatch(relayGraph(1), entries, { interEntryWait_us: bad })).rejects.toThrow(/interEntryWait_us is a time in µs from 0 to/);
  });

  it('keeps entries apart even when they send nothing, and a run after a batch continues its last entry', async () => {
    const e = executor();
    const entries = [{ duration_us: 3 }, { duration_us: 3, inputs: { input: { kind: 'array' as const, times_us: [[1]] } } }, { duration_us: 3 }];
    const batch = await e.runBatch(relayGraph(1), entries);
    expect(batch.entries.map((r) => timesOf(r.spikes, 'relay', 1)[0]!.length)).toEqual([0, 1, 0]);
    const next = await e.run(relayGraph(1), { duration_us: 2, inputs: { input: { kind: 'array', times_us: [[4]] } } });
    expect(next.settled).toBe(false);
    expect(next.start_us).toBe(3);
    expect(timesOf(next.spikes, 'relay', 1)[0]!.length).toBe(1);
  });
});
