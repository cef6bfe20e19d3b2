// The input path's limits (src/limits.ts): spikes one run can deliver are checked before any program is built,
// with a RunRequestError naming the population, the count and the limit.
import { MAX_PROGRAM_SIZE } from '@bss2/stadls';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CYCLES_PER_US, type Executor, LOOKAHEAD_CYCLES, MAX_EXTERNAL_SOURCES, RunRequestError, SPIKE_PACK_SIZE, inputSpikeCount, maxInputSpikes } from '../src/index.js';
import { idealExecutor, relayGraph } from './support.js';

const executors: Executor[] = [];
function executor(): Executor {
  const e = idealExecutor();
  executors.push(e);
  return e;
}
afterEach(async () => {
  for (const e of executors.splice(0)) await e.connection.close();
});

async function refusal(run: Promise<unknown>): Promise<RunRequestError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunRequestError);
  return error as RunRequestError;
}

describe('input spike limit', () => {
  it('is three labels per FPGA cycle of the run and its lookahead, at most one program of packs', () => {
    expect(maxInputSpikes(0)).toBe(SPIKE_PACK_SIZE * LOOKAHEAD_CYCLES);
    expect(maxInputSpikes(10)).toBe(SPIKE_PACK_SIZE * (10 * CYCLES_PER_US + LOOKAHEAD_CYCLES));
    expect(maxInputSpikes(1e9)).toBe(SPIKE_PACK_SIZE * MAX_PROGRAM_SIZE);
    expect(MAX_EXTERNAL_SOURCES).toBe(8192);
  });

  it('1,000,000 spike times in one run are refused before anything is built, naming population, count and limit', async () => {
    const e = executor();
    const times = Float64Array.from({ length: 1_000_000 }, (_, k) => k * 1e-3);
    const limit = maxInputSpikes(1000);
    const error = await refusal(e.run(relayGraph(1), { duration_us: 1000, inputs: { input: { kind: 'array', times_us: [times] } } }));
    expect(error).toMatchObject({ population: 'input', value: 1_000_000, limit });
    expect(error.message).toContain(`1000000 spikes`);
    expect(error.message).toContain(`at most ${limit}`);
    expect(e.lastProgram).toBeUndefined();
  });

  it('counts only the spikes of the run: a long list cut into runs is accepted', async () => {
    const e = executor();
    // 3 spikes per µs for 40 µs: 120 spikes, each 10 µs run sends 30 of them (plus the lookahead's).
    const times = Float64Array.from({ length: 120 }, (_, k) => k / 3);
    const graph = relayGraph(1);
    for (let r = 0; r < 4; r++) await e.run(graph, { duration_us: 10, inputs: { input: { kind: 'array', times_us: [times] } } });
    expect(e.time_us).toBe(40);
  });

  it('host Poisson trains are limited by their expected count', async () => {
    const e = executor();
    const source = { kind: 'poisson' as const, rate_hz: [1e12], start_us: [0], stop_us: [1e9], seed: 1 };
    const error = await refusal(e.run(relayGraph(1), { duration_us: 100, inputs: { input: source } }));
    expect(error).toMatchObject({ population: 'input', limit: maxInputSpikes(100) });
    expect(error.message).toMatch(/\(expected\)/);
  });

  it('batch entries are checked one by one, each from the start of its segment', async () => {
    const e = executor();
    const dense = Float64Array.from({ length: 5000 }, (_, k) => k * 1e-3);
    const error = await refusal(e.runBatch(relayGraph(1), [{ duration_us: 5 }, { duration_us: 5, inputs: { input: { kind: 'array', times_us: [dense] } } }]));
    expect(error).toMatchObject({ entry: 1, population: 'input', value: 5000, limit: maxInputSpikes(5) });
  });

  it('inputSpikeCount counts given times in [from, to) exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 20 }), { maxLength: 5 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (lists, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const expected = lists.flat().filter((t) => t >= from && t < to).length;
        expect(inputSpikeCount({ kind: 'array', times_us: lists }, from, to)).toBe(expected);
      }),
      { seed: 18, numRuns: 200 },
    );
  });
});
