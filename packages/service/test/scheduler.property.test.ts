import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler, SchedulerError, type Assignment } from '../src/index.js';

type Operation = { kind: 'enqueue'; user: number; count: number } | { kind: 'complete'; pick: number };

const operations = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('enqueue' as const), user: fc.integer({ min: 0, max: 5 }), count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }),
  ),
  { maxLength: 120 },
);

/** Runs the operations, then completes everything; checks every invariant along the way against a model. */
function simulate(chipCount: number, ops: readonly Operation[]): void {
  const scheduler = new Scheduler<string>(chipCount);
  const enqueued = new Map<string, number>();
  const dispatched = new Map<string, number[]>();
  const busy = new Map<number, string>();
  const holder = new Map<number, string>();
  /** Users waiting (a queued unit, not running) at each user's latest dispatch: they must run before its next one. */
  const owed = new Map<string, Set<string>>();
  const waiting = () => [...enqueued.keys()].filter((u) => scheduler.queuedOf(u) > 0 && ![...busy.values()].includes(u));

  const apply = (assignments: Assignment<string>[]) => {
    for (const a of assignments) {
      const user = a.unit.user;
      // One unit per chip, one per user.
      expect(busy.has(a.chip)).toBe(false);
      expect([...busy.values()]).not.toContain(user);
      // Affinity: the chip that holds the user's state, when it is free.
      const home = [...holder.entries()].find(([chip, u]) => u === user && !busy.has(chip))?.[0];
      if (home !== undefined) expect(a.chip).toBe(home);
      expect(a.previousHolder).toBe(holder.get(a.chip));
      expect(a.restore).toBe(holder.get(a.chip) !== user);
      // Round-robin: nobody who was waiting at this user's previous dispatch is still owed a turn.
      expect([...(owed.get(user) ?? [])], `users waiting at ${user}'s previous unit, not served since`).toEqual([]);
      for (const others of owed.values()) others.delete(user);
      busy.set(a.chip, user);
      holder.set(a.chip, user);
      const list = dispatched.get(user) ?? [];
      // In order, each exactly once.
      expect(a.unit.sequence).toBe(list.length + 1);
      expect(a.unit.payload).toBe(`${user}#${a.unit.sequence}`);
      list.push(a.unit.sequence);
      dispatched.set(user, list);
      owed.set(user, new Set(waiting().filter((v) => v !== user)));
    }
    // Work-conserving: a free chip and a waiting user never coexist after dispatch.
    if (waiting().length > 0) expect(busy.size).toBe(chipCount);
    expect(scheduler.queueDepth).toBe([...enqueued.values()].reduce((s, n) => s + n, 0) - [...dispatched.values()].reduce((s, l) => s + l.length, 0));
  };

  const complete = (chip: number) => {
    const unit = scheduler.complete(chip);
    expect(unit.user).toBe(busy.get(chip));
    busy.delete(chip);
  };

  for (const op of ops) {
    if (op.kind === 'enqueue') {
      const user = `u${op.user}`;
      for (let i = 0; i < op.count; i++) {
        const n = (enqueued.get(user) ?? 0) + 1;
        enqueued.set(user, n);
        scheduler.enqueue(user, `${user}#${n}`);
      }
    } else if (busy.size > 0) {
      const chips = [...busy.keys()];
      complete(chips[op.pick % chips.length]!);
    }
    apply(scheduler.dispatch());
  }
  while (busy.size > 0) {
    complete([...busy.keys()][0]!);
    apply(scheduler.dispatch());
  }
  for (const [user, n] of enqueued) expect(dispatched.get(user)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(scheduler.queueDepth).toBe(0);
}

describe('Scheduler (properties)', () => {
  it('dispatches every unit once, in per-user order, round-robin, one per chip and user, preferring the chip that holds the user', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), operations, (chips, ops) => simulate(chips, ops)),
      { seed: 1, numRuns: 400 },
    );
  });

  it('serves each waiting user once before anyone runs a second unit (16 users, 2 chips)', () => {
    const scheduler = new Scheduler<number>(2);
    for (let round = 0; round < 3; round++) for (let u = 0; u < 16; u++) scheduler.enqueue(`u${u}`, round);
    const order: string[] = [];
    let running = scheduler.dispatch();
    while (running.length > 0) {
      const next: Assignment<number>[] = [];
      for (const a of running) {
        order.push(a.unit.user);
        scheduler.complete(a.chip);
        next.push(...scheduler.dispatch());
      }
      running = next;
    }
    expect(order).toHaveLength(48);
    for (let round = 0; round < 3; round++) expect(new Set(order.slice(round * 16, round * 16 + 16)).size).toBe(16);
  });

  it('keeps a lone user on its chip (no restore after the first unit) unless a reinit is enforced', () => {
    const scheduler = new Scheduler<number>(2);
    const restores: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 3) scheduler.enforceReinit('a');
      scheduler.enqueue('a', i);
      const [a] = scheduler.dispatch();
      restores.push(a!.restore);
      expect(a!.chip).toBe(0);
      scheduler.complete(a!.chip);
    }
    expect(restores).toEqual([true, false, false, true, false]);
  });

  it('drops the queued units of a closed connection and refuses bad chips', () => {
    const scheduler = new Scheduler<string>(1);
    scheduler.enqueue('a', 'keep');
    scheduler.enqueue('a', 'drop');
    scheduler.enqueue('b', 'drop');
    expect(scheduler.dispatch()).toHaveLength(1);
    expect(scheduler.drop('b', (u) => u.payload === 'drop')).toHaveLength(1);
    expect(scheduler.drop('a', (u) => u.payload === 'drop')).toHaveLength(1);
    expect(scheduler.queueDepth).toBe(0);
    scheduler.complete(0);
    expect(scheduler.dispatch()).toEqual([]);
    expect(() => scheduler.complete(0)).toThrow(SchedulerError);
    expect(() => new Scheduler(0)).toThrow(/positive integer/);
  });
});
