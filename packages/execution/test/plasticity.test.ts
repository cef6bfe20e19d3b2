// Plasticity rules through the executor (hardware.md §7): the program written through stadls, timed starts of
// both PPUs inside the real-time section, observables per invocation, read-back weights, state kept by sameId,
// and kernel failures as typed errors that leave the run's other results intact.
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { defineRule } from '@bss2/ppu';
import { describe, expect, it } from 'vitest';
import { Executor, type NetworkGraph, PlasticityKernelError, PlasticityRuleError, type PlasticityRuleSpec } from '../src/index.js';
import { counterKernel as counter, idealExecutor, relayGraph, timesOf } from './support.js';

const word = (bytes: Uint8Array): number => ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;

function withRules(graph: NetworkGraph, plasticity: PlasticityRuleSpec[]): NetworkGraph {
  return { ...graph, plasticity };
}

const inputs = (n: number, times: number[]) => ({ input: { kind: 'array' as const, times_us: Array.from({ length: n }, () => times) } });

describe('plasticity rules in the executor', () => {
  it('starts both PPUs at every timer tick inside the run and reads each invocation with its time', async () => {
    const executor = idealExecutor();
    const graph = withRules(relayGraph(2), [{ name: 'count', kernel: counter('c0'), timer: { start_us: 10, period_us: 10, numPeriods: 5 } }]);
    const report = await executor.run(graph, { duration_us: 80, inputs: inputs(2, [5, 35, 70]) });
    const invocations = report.plasticity!.rules.get('count')!;
    expect(invocations.map((i) => Math.round(i.time_us))).toEqual([10, 20, 30, 40, 50]);
    for (const ppu of [0, 1]) expect(invocations.map((i) => word(i.ppu[ppu]!.observables.get('count')!))).toEqual([1, 2, 3, 4, 5]);
    expect(invocations.every((i) => i.ppu.every((p) => p.returnCode === 0))).toBe(true);
    expect(report.plasticity!.failures).toEqual([]);
    // The network ran as without plasticity.
    expect(timesOf(report.spikes, 'relay', 2).map((t) => t.length)).toEqual([3, 3]);
  });

  it('clips the timer to each run of a segment; without sameId the memory starts afresh, with one it carries over', async () => {
    for (const sameId of [undefined, 'kept']) {
      const executor = idealExecutor();
      const graph = withRules(relayGraph(1), [{ name: 'count', kernel: counter('c0'), timer: { start_us: 5, period_us: 10, numPeriods: 6 }, ...(sameId === undefined ? {} : { sameId }) }]);
      const first = await executor.run(graph, { duration_us: 30 });
      const second = await executor.run(graph, { duration_us: 30 });
      expect(first.plasticity!.rules.get('count')!.map((i) => Math.round(i.time_us))).toEqual([5, 15, 25]);
      expect(second.plasticity!.rules.get('count')!.map((i) => Math.round(i.time_us))).toEqual([35, 45, 55]);
      const counts = second.plasticity!.rules.get('count')!.map((i) => word(i.ppu[0].observables.get('count')!));
      expect(counts).toEqual(sameId === undefined ? [1, 2, 3] : [4, 5, 6]);
    }
  });

  it('merges rules that fire together into one start and runs each alone where only it is due', async () => {
    const executor = idealExecutor();
    const graph = withRules(relayGraph(1), [
      { name: 'a', kernel: counter('ca'), timer: { start_us: 10, period_us: 10, numPeriods: 4 } },
      { name: 'b', kernel: counter('cb'), timer: { start_us: 10, period_us: 20, numPeriods: 2 } },
    ]);
    const report = await executor.run(graph, { duration_us: 60 });
    const a = report.plasticity!.rules.get('a')!;
    const b = report.plasticity!.rules.get('b')!;
    expect(a.map((i) => word(i.ppu[1].observables.get('count')!))).toEqual([1, 2, 3, 4]);
    expect(b.map((i) => word(i.ppu[1].observables.get('count')!))).toEqual([1, 2]);
    // b's starts are a's first and third: the same instruction started both.
    expect(b.map((i) => i.time_us)).toEqual([a[0]!.time_us, a[2]!.time_us]);
  });

  it('a rule-language kernel changes the weights of its projection; the executor reads them back and holds them', async () => {
    const executor = idealExecutor();
    const rule = defineRule('set_weights', (k) => {
      const value = k.param('value', 7);
      k.halves((half) => half.rows({ from: 0, to: 7 }, (row) => row.setWeights(row.splat(value))));
    });
    const base = relayGraph(3, 40);
    const graph = withRules(base, [{ name: 'set', kernel: { kind: 'rule', rule }, timer: { start_us: 20, period_us: 0, numPeriods: 1 }, params: { value: 11 }, projections: ['input→relay'] }]);
    const report = await executor.run(graph, { duration_us: 40 });
    expect(report.plasticity!.weights.get('input→relay')).toEqual([11, 11, 11]);
    expect(executor.routing!.placedConnections('input→relay').every((c) => c.synapses.every((s) => s.row.value <= 7))).toBe(true);
    // The executor now holds the learned weights: a graph carrying them writes nothing, one with others writes those.
    const reader = (weight: number): NetworkGraph =>
      withRules({ ...base, projections: base.projections.map((p) => ({ ...p, connections: p.connections.map((c) => ({ ...c, weight })) })) }, [
        { name: 'read', kernel: counter('c0'), timer: { start_us: 1, period_us: 0, numPeriods: 0 }, projections: ['input→relay'] },
      ]);
    const kept = await executor.run(reader(11), { duration_us: 5 });
    expect(kept.plasticity!.weights.get('input→relay')).toEqual([11, 11, 11]);
    const rewritten = await executor.run(reader(40), { duration_us: 5 });
    expect(rewritten.plasticity!.weights.get('input→relay')).toEqual([40, 40, 40]);
  });

  it('a kernel returning an error code → PlasticityKernelError naming rule, PPU and code; the run’s spikes travel with it', async () => {
    const executor = idealExecutor();
    const graph = withRules(relayGraph(2), [{ name: 'failing', kernel: { kind: 'assembly', name: 'failing', source: '.text\n.globl kernel\nkernel:\n li r3, 42\n blr\n' }, timer: { start_us: 10, period_us: 10, numPeriods: 1 } }]);
    const error = await executor.run(graph, { duration_us: 30, inputs: inputs(2, [5, 25]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlasticityKernelError);
    const e = error as PlasticityKernelError;
    expect(e.name).toBe('PlasticityKernelError');
    expect(e.failures.map((f) => [f.rule, f.ppu, f.kind, f.returnCode])).toEqual([
      ['failing', 0, 'error', 42],
      ['failing', 1, 'error', 42],
    ]);
    expect(e.message).toContain("plasticity rule 'failing' on PPU 0");
    expect(e.message).toContain('error code 42');
    const report = e.result as { spikes: ReadonlyMap<string, { index: number[]; time_us: number[] }> };
    expect(timesOf(report.spikes, 'relay', 2).map((t) => t.length)).toEqual([2, 2]);
  });

  it('an endless loop stops at the instruction timeout: a fault of that rule, the rest of the run and the next run intact', async () => {
    // A short instruction timeout (chip-sim option; default 10 ms) keeps the run short.
    const executor = new Executor({ connection: connectInProcess({ seed: 1, analog: { idealChip: true, ppuTimeout_cycles: 25_000 } }), calibration: 'nominal' });
    const loop: PlasticityRuleSpec = { name: 'endless', kernel: { kind: 'assembly', name: 'endless', source: '.text\n.globl kernel\nkernel:\nspin:\n b spin\n' }, timer: { start_us: 10, period_us: 0, numPeriods: 1 } };
    const base = relayGraph(2);
    const error = await executor.run(withRules(base, [loop]), { duration_us: 200, inputs: inputs(2, [5, 150]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlasticityKernelError);
    const e = error as PlasticityKernelError;
    expect(e.failures.map((f) => [f.rule, f.ppu, f.kind])).toEqual([
      ['endless', 0, 'fault'],
      ['endless', 1, 'fault'],
    ]);
    const report = e.result as { spikes: ReadonlyMap<string, { index: number[]; time_us: number[] }> };
    expect(timesOf(report.spikes, 'relay', 2).map((t) => t.map(Math.round))).toEqual([
      [5, 150],
      [5, 150],
    ]);
    // Shorter than the timeout: still running at the run's end (timers count from the segment's start).
    executor.reset();
    const overrun = await executor.run(withRules(base, [loop]), { duration_us: 40 }).catch((x: unknown) => x);
    expect((overrun as PlasticityKernelError).failures.map((f) => f.kind)).toEqual(['overrun', 'overrun']);
    // The chip is fine afterwards: a good kernel runs and the relays relay.
    executor.reset();
    const next = await executor.run(withRules(base, [{ name: 'count', kernel: counter('c0'), timer: { start_us: 10, period_us: 10, numPeriods: 2 } }]), { duration_us: 30, inputs: inputs(2, [25]) });
    expect(next.plasticity!.failures).toEqual([]);
    expect(timesOf(next.spikes, 'relay', 2).map((t) => t.length)).toEqual([1, 1]);
  });

  it('refuses malformed rules with PlasticityRuleError naming the rule and the value', async () => {
    const executor = idealExecutor();
    const bad = async (rule: Partial<PlasticityRuleSpec>, text: RegExp) => {
      const spec = { name: 'r', kernel: counter('c0'), timer: { start_us: 0, period_us: 10, numPeriods: 1 }, ...rule } as PlasticityRuleSpec;
      const error = await executor.run(withRules(relayGraph(1), [spec]), { duration_us: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlasticityRuleError);
      expect((error as Error).message).toMatch(text);
    };
    await bad({ timer: { start_us: -1, period_us: 10, numPeriods: 1 } }, /timer.start_us -1/);
    await bad({ timer: { start_us: 0, period_us: 0, numPeriods: 3 } }, /timer.period_us 0/);
    await bad({ projections: ['nope'] }, /projections "nope"/);
    await bad({ observe: ['missing'] }, /observes 'missing'/);
    await bad({ kernel: { kind: 'assembly', name: 'broken', source: '.text\n.globl kernel\nkernel:\n addi r3, r3\n' } }, /does not build/);
    await bad({ kernel: { kind: 'rule', rule: defineRule('p', (k) => void k.param('eta', 1)) }, params: { nope: 1 } }, /no param 'nope'/);
  });
});
