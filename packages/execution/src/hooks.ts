// Hooks for commissioning engineers inside an experiment (the reference's InjectedConfiguration and
// InjectedReadout, hardware.md §11.1): playback-program commands of their own at fixed points of every run, and
// containers read back before and after the experiment.
import type { Coordinate } from '@bss2/halco';
import type { Container } from '@bss2/lola';
import type { ContainerClass, ContainerTicket, PlaybackProgramBuilder } from '@bss2/stadls';

/** Commands appended to each run's program at these points. */
export interface InjectedConfiguration {
  /** After the configuration writes, before the CapMem settling wait of a paused or new segment. */
  readonly preRealtime?: (builder: PlaybackProgramBuilder) => void;
  /** Right after the segment's clock runs (timer 0 = the run's start when the clock restarts). Delays inputs by its length. */
  readonly insideRealtimeBegin?: (builder: PlaybackProgramBuilder) => void;
  /** After the run's last cycle, before the chip's events drain. */
  readonly insideRealtimeEnd?: (builder: PlaybackProgramBuilder) => void;
  /** At the end of the run. */
  readonly postRealtime?: (builder: PlaybackProgramBuilder) => void;
}

/** Containers read at two points of each run: `[coordinate, container type]` pairs. */
export interface InjectedReadout {
  readonly preRealtime?: readonly (readonly [Coordinate, ContainerClass])[];
  readonly postRealtime?: readonly (readonly [Coordinate, ContainerClass])[];
}

export const CONFIGURATION_POINTS = ['preRealtime', 'insideRealtimeBegin', 'insideRealtimeEnd', 'postRealtime'] as const;
export const READOUT_POINTS = ['preRealtime', 'postRealtime'] as const;

/** Reads `entries` into `builder`; the returned function gives the containers once the program ran. */
export function readAll(builder: PlaybackProgramBuilder, entries: readonly (readonly [Coordinate, ContainerClass])[] | undefined): () => Map<string, Container> {
  const tickets: [string, ContainerTicket][] = (entries ?? []).map(([coordinate, type]) => [coordinate.toString(), builder.read(coordinate, type)]);
  return () => new Map(tickets.map(([key, ticket]) => [key, ticket.get()]));
}
