import {
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  SpikePack1ToChipOnDLS,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnSynapseDriverBlock,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { ColumnCurrentQuad, CommonPADIBusConfig, SpikePack1ToChip, SynapseDriverConfig, SynapseQuad } from '@bss2/lola';
import type { PlaybackProgramBuilder } from '@bss2/stadls';

/** Which synaptic input a stimulus drives and how hard. */
export type StimulusKind = 'excitatoryStrong' | 'excitatoryWeak' | 'inhibitoryStrong' | 'inhibitoryWeak';

interface StimulusRows {
  /** The 6-bit synapse label of the rows (and of the FPGA event, row select 0). */
  readonly label: number;
  /** Rows on the synapse array (both hemispheres alike), each with `weight` in every column. */
  readonly rows: readonly number[];
  readonly weight: number;
  readonly mode: 'excitatory' | 'inhibitory';
}

/** The top rows (2d + 1, §2.7) of drivers first..first + count − 1. */
function topRows(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => 2 * (first + k) + 1);
}

/**
 * Four fixed stimuli through the ordinary event path (hardware.md §1.3): an FPGA spike label enters the
 * crossbar at link input 8 (reset crossbar nodes pass everything, §2.5) and reaches every PADI bus; drivers
 * with row-select mask 0 take it, their rows compare the 6-bit label and each full-weight synapse sends a
 * current pulse into its column. "Strong" drives four full-weight rows (two drivers, ≈ 4 full-weight events
 * per neuron), for synaptic time constants and the DAC step. "Weak", for PSP amplitudes, spreads about one and a half
 * full-weight event over the top rows of 32 drivers at weight 3: every synapse and driver has its own gain
 * (§8.4), and a strength calibrated on one row would carry that row's synapse gains, on 32 rows it carries
 * their mean (the per-synapse spread of 5 % shrinks to 1 %). The drivers' bottom rows stay free for users.
 * Labels are distinct and nonzero, so no other event can hit these rows.
 */
const stimulusRows: Readonly<Record<StimulusKind, StimulusRows>> = Object.freeze({
  // Driver d drives rows 2d + 1 (top) and 2d (bottom), §2.7.
  excitatoryStrong: { label: 0x11, rows: [0, 1, 2, 3], weight: 63, mode: 'excitatory' },
  excitatoryWeak: { label: 0x12, rows: topRows(32, 32), weight: 3, mode: 'excitatory' },
  inhibitoryStrong: { label: 0x21, rows: [8, 9, 10, 11], weight: 63, mode: 'inhibitory' },
  inhibitoryWeak: { label: 0x22, rows: topRows(64, 32), weight: 3, mode: 'inhibitory' },
});

/** Full-weight (63) events one stimulus amounts to per neuron: its rows × weight / 63. */
export function stimulusEvents(kind: StimulusKind): number {
  const s = stimulusRows[kind];
  return (s.rows.length * s.weight) / 63;
}

/**
 * Configures the event path for the four stimuli: bus inputs from the crossbar, the drivers of their rows,
 * the rows' synapses (the stimulus weight and label) and every column's synaptic current switches.
 */
export function configureStimuli(builder: PlaybackProgramBuilder): void {
  for (const block of [0, 1]) builder.write(new CommonPADIBusConfigOnDLS(block), new CommonPADIBusConfig({ enableSpl1: [true, true, true, true] }));
  const rowsOfDriver = new Map<number, { top?: 'excitatory' | 'inhibitory'; bottom?: 'excitatory' | 'inhibitory' }>();
  for (const s of Object.values(stimulusRows)) {
    for (const row of s.rows) {
      const entry = rowsOfDriver.get(row >> 1) ?? {};
      if (row % 2 === 1) entry.top = s.mode;
      else entry.bottom = s.mode;
      rowsOfDriver.set(row >> 1, entry);
    }
  }
  for (const block of [0, 1]) {
    for (const [driver, modes] of rowsOfDriver) {
      builder.write(
        new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(driver), new SynapseDriverBlockOnDLS(block)),
        new SynapseDriverConfig({ enableReceiver: true, rowAddressCompareMask: 0, rowModeTop: modes.top ?? 'disabled', rowModeBottom: modes.bottom ?? 'disabled' }),
      );
    }
  }
  for (const synram of [0, 1]) {
    for (const s of Object.values(stimulusRows)) {
      const quad = new SynapseQuad({ weights: [s.weight, s.weight, s.weight, s.weight], labels: [s.label, s.label, s.label, s.label] });
      for (const row of s.rows) {
        for (let q = 0; q < SynapseQuadColumnOnDLS.size; q++) {
          builder.write(new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(q), new SynapseRowOnSynram(row)), new SynramOnDLS(synram)), quad);
        }
      }
    }
  }
  const switches = new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: [true, true, true, true], enableSynapticCurrentInhibitory: [true, true, true, true] });
  for (let q = 0; q < ColumnCurrentQuadOnDLS.size; q++) builder.write(new ColumnCurrentQuadOnDLS(q), switches);
}

/** Appends the FPGA event of a stimulus at the builder's current time (hardware.md §5.1). */
export function stimulate(builder: PlaybackProgramBuilder, kind: StimulusKind): void {
  builder.write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([stimulusRows[kind].label]));
}
