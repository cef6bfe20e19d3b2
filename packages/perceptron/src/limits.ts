// The integrator ("hagen") mode's numbers (hardware.md §3.6, §8.2, §11.2), from where they live: the block layout
// in @bss2/calibration (whose MAC programs define it), what the chip's MacExecutor accepts in @bss2/execution.
import { MAC_ACTIVATION_MAX, MAC_COLUMNS, MAC_ROWS, MAC_WEIGHT_MAX } from '@bss2/calibration';
import {
  MAC_DEFAULT_WAIT_BETWEEN_EVENTS,
  MAC_NUM_SENDS_MAX,
  MAC_OUTPUT_MAX,
  MAC_OUTPUT_MIN,
  MAC_WAIT_BETWEEN_EVENTS_MAX,
  MAC_WAIT_BETWEEN_EVENTS_MIN,
} from '@bss2/execution';

/**
 * Largest input: in integrator mode the 6-bit event address carries the hagen address in its MSB and a 5-bit
 * activation in its 5 LSBs (§3.6), so inputs are 0..31.
 */
export const INPUT_MAX = MAC_ACTIVATION_MAX;

/** Largest weight magnitude: 6-bit synapse weights; signed through an excitatory/inhibitory row pair (§8.2). */
export const WEIGHT_MAX = MAC_WEIGHT_MAX;

/** Outputs are 8-bit CADC codes read as signed (int8) around the resting level (§8.2, §11.2). */
export const OUTPUT_MIN = MAC_OUTPUT_MIN;
export const OUTPUT_MAX = MAC_OUTPUT_MAX;

/**
 * Rows of one block: a hemisphere's synapse drivers, each feeding one signed input to its two rows (the
 * excitatory and the inhibitory one). Larger matrices are split into such blocks, one MAC each, summed (§11.2).
 */
export const BLOCK_ROWS = MAC_ROWS;

/** Columns of one pass: a hemisphere's neuron columns. Wider matrices take several passes. */
export const PASS_COLUMNS = MAC_COLUMNS;

/** hxtorch's default wait between two input events, in FPGA cycles (`defaults.wait_between_events`). */
export const DEFAULT_WAIT_BETWEEN_EVENTS = MAC_DEFAULT_WAIT_BETWEEN_EVENTS;

/** What the chip's MacExecutor accepts: checked here as well, so that the mock refuses what the chip would. */
export const NUM_SENDS_MAX = MAC_NUM_SENDS_MAX;
export const WAIT_BETWEEN_EVENTS_MIN = MAC_WAIT_BETWEEN_EVENTS_MIN;
export const WAIT_BETWEEN_EVENTS_MAX = MAC_WAIT_BETWEEN_EVENTS_MAX;

/** hxtorch's default mock parameters (`MockParameter`, §11.2): output LSB per input·weight LSB per send, and σ. */
export const DEFAULT_MOCK_GAIN = 0.002;
export const DEFAULT_MOCK_NOISE_STD = 2;

/** The default shift of `convertingRelu`: int8 0..127 onto the inputs 0..31. */
export const DEFAULT_CONVERTING_SHIFT = 2;
