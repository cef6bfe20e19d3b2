// Hooks for commissioning engineers inside a PyNN experiment (the reference's InjectedConfiguration and
// InjectedReadout, hardware.md §11.1): playback-program commands of their own at fixed points of every run, and
// containers read back before and after the experiment.
import type { Coordinate } from '@bss2/halco';
import type { Container } from '@bss2/lola';
import type { ContainerClass, ContainerTicket, PlaybackProgramBuilder } from '@bss2/stadls';
import { SetupError } from './errors.js';

/** Commands appended to each run's program at these points. */
export interface InjectedConfiguration {
  /** After pynn's configuration writes, before the CapMem settling wait of a paused or new segment. */
  readonly preRealtime?: (builder: PlaybackProgramBuilder) => void;
  /** Right after the segment's clock runs (timer 0 = the run's start when the clock restarts). Delays inputs by its length. */
  readonly insideRealtimeBegin?: (builder: PlaybackProgramBuilder) => void;
  /** After the run's last cycle, before the chip's events drain. */
  readonly insideRealtimeEnd?: (builder: PlaybackProgramBuilder) => void;
  /** At the end of the program. */
  readonly postRealtime?: (builder: PlaybackProgramBuilder) => void;
}

/** Containers read at two points of each run: `[coordinate, container type]` pairs. */
export interface InjectedReadout {
  readonly preRealtime?: readonly (readonly [Coordinate, ContainerClass])[];
  readonly postRealtime?: readonly (readonly [Coordinate, ContainerClass])[];
}

const CONFIGURATION_POINTS = ['preRealtime', 'insideRealtimeBegin', 'insideRealtimeEnd', 'postRealtime'];
const READOUT_POINTS = ['preRealtime', 'postRealtime'];

export function checkInjectedConfiguration(value: unknown): InjectedConfiguration | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new SetupError(`setup() injectedConfig must be an object of hooks (${CONFIGURATION_POINTS.join(', ')}), got ${String(value)}`, { parameter: 'injectedConfig', value });
  for (const [key, hook] of Object.entries(value)) {
    if (!CONFIGURATION_POINTS.includes(key)) throw new SetupError(`setup() injectedConfig has no point '${key}'; points: ${CONFIGURATION_POINTS.join(', ')}`, { parameter: `injectedConfig.${key}`, value: hook });
    if (typeof hook !== 'function') throw new SetupError(`setup() injectedConfig.${key} must be a function (builder) => void, got ${typeof hook}`, { parameter: `injectedConfig.${key}`, value: hook });
  }
  return value as InjectedConfiguration;
}

export function checkInjectedReadout(value: unknown): InjectedReadout | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new SetupError(`setup() injectedReadout must be an object with preRealtime / postRealtime lists, got ${String(value)}`, { parameter: 'injectedReadout', value });
  for (const [key, list] of Object.entries(value)) {
    if (!READOUT_POINTS.includes(key)) throw new SetupError(`setup() injectedReadout has no point '${key}'; points: ${READOUT_POINTS.join(', ')}`, { parameter: `injectedReadout.${key}`, value: list });
    if (!Array.isArray(list) || list.some((entry) => !Array.isArray(entry) || entry.length !== 2 || typeof entry[1] !== 'function')) {
      throw new SetupError(`setup() injectedReadout.${key} must be a list of [coordinate, ContainerType] pairs`, { parameter: `injectedReadout.${key}`, value: list });
    }
  }
  return value as InjectedReadout;
}

/** Reads `entries` into `builder`; the returned function gives the containers once the program ran. */
export function readAll(builder: PlaybackProgramBuilder, entries: readonly (readonly [Coordinate, ContainerClass])[] | undefined): () => Map<string, Container> {
  const tickets: [string, ContainerTicket][] = (entries ?? []).map(([coordinate, type]) => [coordinate.toString(), builder.read(coordinate, type)]);
  return () => new Map(tickets.map(([key, ticket]) => [key, ticket.get()]));
}
