import { ServiceConfigError } from './errors.js';

/**
 * Per-user quotas: programs per second (a token bucket), largest program, chip time per window. Over quota,
 * a program is refused before it is queued (`QuotaExceededError`): a client's `execute` cannot tell a long
 * wait from a hung service, and a clear refusal says what to change (README, Choices).
 */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
}

export interface QuotaSettings {
  /** Sustained programs per second (token bucket refill); default unlimited. */
  programsPerSecond?: number;
  /** Programs admitted back to back before the rate applies (bucket size); default max(1, programsPerSecond). */
  burstPrograms?: number;
  /** Largest program in bytes; default a full playback memory (32 MiB). */
  maxProgramBytes?: number;
  /** Chip time (ms of a chip worker running the user's units) allowed per window; default unlimited. */
  chipTimePerWindow_ms?: number;
  /** Length of the chip-time window; default 60 000 ms. */
  window_ms?: number;
}

export interface Quotas {
  /** Every user's quota unless listed in `users`. */
  readonly default?: QuotaSettings;
  readonly users?: Readonly<Record<string, QuotaSettings>>;
}

const DEFAULT_WINDOW_MS = 60_000;

function positive(name: string, value: number | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new ServiceConfigError(`${where}.${name}`, value, 'expected a positive number');
  }
  return value;
}

/** Checks quota settings; `where` names them in errors (e.g. `quotas.users.alice`). */
export function checkQuotaSettings(settings: QuotaSettings, where: string): Required<Pick<QuotaSettings, 'window_ms'>> & QuotaSettings {
  if (settings === null || typeof settings !== 'object') throw new ServiceConfigError(where, settings, 'expected an object of quota settings');
  const checked: QuotaSettings & { window_ms: number } = { window_ms: positive('window_ms', settings.window_ms, where) ?? DEFAULT_WINDOW_MS };
  for (const name of ['programsPerSecond', 'burstPrograms', 'maxProgramBytes', 'chipTimePerWindow_ms'] as const) {
    const value = positive(name, settings[name], where);
    if (value !== undefined) checked[name] = value;
  }
  return checked;
}

/** One user's quota state. Pure: the caller passes the time. */
export class UserQuota {
  private tokens: number;
  private refilledAt_ms: number;
  private windowStart_ms: number;
  private chipTime_ms = 0;
  private readonly settings: QuotaSettings & { window_ms: number };

  constructor(
    readonly user: string,
    settings: QuotaSettings,
    now_ms: number,
  ) {
    this.settings = checkQuotaSettings(settings, `quotas for ${user}`);
    this.tokens = this.burst;
    this.refilledAt_ms = now_ms;
    this.windowStart_ms = now_ms;
  }

  private get burst(): number {
    const rate = this.settings.programsPerSecond;
    return this.settings.burstPrograms ?? (rate === undefined ? Infinity : Math.max(1, rate));
  }

  /** Admits a program of `bytes` now or throws `QuotaExceededError` naming the limit. */
  admit(bytes: number, now_ms: number): void {
    const { maxProgramBytes, programsPerSecond, chipTimePerWindow_ms, window_ms } = this.settings;
    if (maxProgramBytes !== undefined && bytes > maxProgramBytes) {
      throw new QuotaExceededError(`user ${this.user}: a program of ${bytes} bytes exceeds the limit of ${maxProgramBytes} bytes`);
    }
    this.rollWindow(now_ms);
    if (chipTimePerWindow_ms !== undefined && this.chipTime_ms >= chipTimePerWindow_ms) {
      const left_ms = Math.ceil(this.windowStart_ms + window_ms - now_ms);
      throw new QuotaExceededError(
        `user ${this.user}: used ${this.chipTime_ms.toFixed(1)} ms of chip time of ${chipTimePerWindow_ms} ms per ${window_ms} ms window; try again in ${left_ms} ms`,
      );
    }
    if (programsPerSecond !== undefined) {
      const elapsed_s = Math.max(0, now_ms - this.refilledAt_ms) / 1000;
      this.tokens = Math.min(this.burst, this.tokens + elapsed_s * programsPerSecond);
      this.refilledAt_ms = now_ms;
      if (this.tokens < 1) {
        throw new QuotaExceededError(`user ${this.user}: more than ${programsPerSecond} programs per second (burst ${this.burst}); slow down`);
      }
      this.tokens -= 1;
    }
  }

  /** Charges chip time used by one of the user's units. */
  charge(run_ms: number, now_ms: number): void {
    this.rollWindow(now_ms);
    this.chipTime_ms += run_ms;
  }

  private rollWindow(now_ms: number): void {
    if (now_ms - this.windowStart_ms >= this.settings.window_ms) {
      this.windowStart_ms = now_ms;
      this.chipTime_ms = 0;
    }
  }
}
