// The integrator ("hagen") mode's numbers (hardware.md §3.6, §8.2, §11.2), derived from lola's datasheet values
// where the datasheet has them.
import { nominal } from '@bss2/lola';

/**
 * Largest input: in integrator mode the 6-bit event address carries the hagen address in its MSB and a 5-bit
 * activation in its 5 LSBs (§3.6), so inputs are 0..31.
 */
export const INPUT_MAX = (nominal.synapseLabelMax + 1) / 2 - 1;

/** Largest weight magnitude: 6-bit synapse weights; signed through an excitatory/inhibitory row pair (§8.2). */
export const WEIGHT_MAX = nominal.synapseWeightMax;

/** Outputs are 8-bit CADC codes read as signed (int8) around the resting level (§8.2, §11.2). */
export const OUTPUT_MIN = -128;
export const OUTPUT_MAX = 127;

/**
 * Rows of one block: a hemisphere's synapse drivers, each feeding one signed input to its two rows (the
 * excitatory and the inhibitory one). Larger matrices are split into such blocks, one MAC each, summed (§11.2).
 */
export const BLOCK_ROWS = nominal.synapseDriverCount / nominal.hemisphereCount;

/** Columns of one pass: a hemisphere's neuron columns. Wider matrices take several passes. */
export const PASS_COLUMNS = nominal.neuronColumnCount;

/** hxtorch's default wait between two input events, in FPGA cycles (`defaults.wait_between_events`). */
export const DEFAULT_WAIT_BETWEEN_EVENTS = 5;

/**
 * What the chip's MacExecutor (`@bss2/execution`) accepts: 1..255 sends per vector, 1..1000 FPGA cycles between
 * events. Checked here as well, so that the mock refuses what the chip would.
 */
export const NUM_SENDS_MAX = 255;
export const WAIT_BETWEEN_EVENTS_MIN = 1;
export const WAIT_BETWEEN_EVENTS_MAX = 1000;

/** hxtorch's default mock parameters (`MockParameter`, §11.2): output LSB per input·weight LSB per send, and σ. */
export const DEFAULT_MOCK_GAIN = 0.002;
export const DEFAULT_MOCK_NOISE_STD = 2;

/** The default shift of `convertingRelu`: int8 0..127 onto the inputs 0..31. */
export const DEFAULT_CONVERTING_SHIFT = 2;
