/**
 * The service's scheduler (quiggeldy's round-robin, hardware.md §6.4), a pure data structure: per-user FIFO
 * queues of units, users served round-robin, one unit at a time per chip and per user.
 *
 * - **Round-robin**: users with a queued unit wait in a ring in the order they became ready; a user whose
 *   unit is dispatched re-enters at the back once that unit completes (if more are queued). So every user
 *   waiting when another's unit starts runs a unit before that other user runs its next one.
 * - **In order**: a user's units run one at a time, in the order enqueued (sequence numbers from 1 per user).
 * - **Chip affinity**: the user runs on the chip that still holds its state when that chip is free (no
 *   reinit); otherwise on a free chip holding nobody's state, then one whose holder has nothing queued, then
 *   any free chip. Affinity never reorders users: it only picks among the chips free at the user's turn.
 */
export interface ScheduledUnit<P> {
  readonly user: string;
  /** Per user, from 1, in enqueue order. */
  readonly sequence: number;
  readonly payload: P;
}

export interface Assignment<P> {
  readonly chip: number;
  readonly unit: ScheduledUnit<P>;
  /** The user whose state the chip held before (undefined: none, e.g. after power-on). */
  readonly previousHolder: string | undefined;
  /** The chip does not hold this user's state, or the user asked for a reinit: restore it before the unit. */
  readonly restore: boolean;
}

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
}

export class Scheduler<P> {
  readonly chipCount: number;
  private readonly queues = new Map<string, ScheduledUnit<P>[]>();
  private readonly nextSequence = new Map<string, number>();
  /** Users with queued units, not running, in round-robin order. */
  private ready: string[] = [];
  private readonly running = new Set<string>();
  private readonly chipUnit: (ScheduledUnit<P> | undefined)[];
  /** The user whose state each chip holds. */
  private readonly holder: (string | undefined)[];
  private readonly enforce = new Set<string>();
  private queued = 0;

  constructor(chipCount: number) {
    if (!(Number.isInteger(chipCount) && chipCount >= 1)) throw new SchedulerError(`chipCount must be a positive integer, got ${chipCount}`);
    this.chipCount = chipCount;
    this.chipUnit = new Array<ScheduledUnit<P> | undefined>(chipCount).fill(undefined);
    this.holder = new Array<string | undefined>(chipCount).fill(undefined);
  }

  /** Units queued, not yet dispatched. */
  get queueDepth(): number {
    return this.queued;
  }

  /** Units running now. */
  get runningUnits(): number {
    return this.running.size;
  }

  /** Queued units of `user`. */
  queuedOf(user: string): number {
    return this.queues.get(user)?.length ?? 0;
  }

  /** The user whose state `chip` holds. */
  holderOf(chip: number): string | undefined {
    return this.holder[this.checkChip(chip)];
  }

  /** Queues a unit; returns its sequence number. */
  enqueue(user: string, payload: P): ScheduledUnit<P> {
    const sequence = this.nextSequence.get(user) ?? 1;
    this.nextSequence.set(user, sequence + 1);
    const unit: ScheduledUnit<P> = { user, sequence, payload };
    let queue = this.queues.get(user);
    if (queue === undefined) this.queues.set(user, (queue = []));
    queue.push(unit);
    this.queued++;
    if (queue.length === 1 && !this.running.has(user)) this.ready.push(user);
    return unit;
  }

  /** The user's next unit runs after a restore even if the chip still holds its state (`enforce_reinit`). */
  enforceReinit(user: string): void {
    this.enforce.add(user);
  }

  /** Forgets that any chip holds `user`'s state (e.g. after its state was cleared): its next unit restores. */
  forgetHolder(user: string): void {
    for (let chip = 0; chip < this.chipCount; chip++) if (this.holder[chip] === user) this.holder[chip] = undefined;
  }

  /** Removes the queued units of `user` for which `drop` is true (e.g. of a closed connection); returns them. */
  drop(user: string, drop: (unit: ScheduledUnit<P>) => boolean): ScheduledUnit<P>[] {
    const queue = this.queues.get(user);
    if (queue === undefined) return [];
    const kept = queue.filter((unit) => !drop(unit));
    const dropped = queue.filter(drop);
    this.queued -= dropped.length;
    if (kept.length === 0) {
      this.queues.delete(user);
      this.ready = this.ready.filter((u) => u !== user);
    } else {
      this.queues.set(user, kept);
    }
    return dropped;
  }

  /** Assigns units to free chips, in round-robin order; call after every enqueue and complete. */
  dispatch(): Assignment<P>[] {
    const assignments: Assignment<P>[] = [];
    while (this.ready.length > 0) {
      const free = this.freeChips();
      if (free.length === 0) break;
      const user = this.ready.shift()!;
      const queue = this.queues.get(user)!;
      const unit = queue.shift()!;
      if (queue.length === 0) this.queues.delete(user);
      this.queued--;
      const chip = this.chooseChip(user, free);
      const previousHolder = this.holder[chip];
      const restore = previousHolder !== user || this.enforce.has(user);
      this.enforce.delete(user);
      this.holder[chip] = user;
      this.chipUnit[chip] = unit;
      this.running.add(user);
      assignments.push({ chip, unit, previousHolder, restore });
    }
    return assignments;
  }

  /** The unit on `chip` finished (whatever its outcome); its user re-enters the ring if it has more queued. */
  complete(chip: number): ScheduledUnit<P> {
    const unit = this.chipUnit[this.checkChip(chip)];
    if (unit === undefined) throw new SchedulerError(`chip ${chip} runs no unit`);
    this.chipUnit[chip] = undefined;
    this.running.delete(unit.user);
    if ((this.queues.get(unit.user)?.length ?? 0) > 0) this.ready.push(unit.user);
    return unit;
  }

  private freeChips(): number[] {
    const free: number[] = [];
    for (let chip = 0; chip < this.chipCount; chip++) if (this.chipUnit[chip] === undefined) free.push(chip);
    return free;
  }

  private chooseChip(user: string, free: readonly number[]): number {
    let best = free[0]!;
    let bestRank = Infinity;
    for (const chip of free) {
      const holder = this.holder[chip];
      // 0: holds this user's state; 1: holds nobody's; 2: its holder has nothing queued; 3: anything else.
      const rank = holder === user ? 0 : holder === undefined ? 1 : this.queues.has(holder) ? 3 : 2;
      if (rank < bestRank) {
        best = chip;
        bestRank = rank;
      }
    }
    return best;
  }

  private checkChip(chip: number): number {
    if (!(Number.isInteger(chip) && chip >= 0 && chip < this.chipCount)) throw new SchedulerError(`chip ${chip} is not in 0..${this.chipCount - 1}`);
    return chip;
  }
}
