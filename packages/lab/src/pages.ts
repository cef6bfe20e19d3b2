// The tutorial pages (hardware.md §11.1; pynn's tutorial-observations, adex-patterns and multicompartment tests):
// each page's explanation, its controls and the pure function that turns their values into the experiment to
// run. The site renders these; Node tests build the same experiments from the same values.
import { nominal } from '@bss2/lola';
import type { ExperimentFile } from '@bss2/pynn';
import { LabParameterError, LabRequestError } from './errors.js';
import type { LabExperiment, StdpSettings } from './experiment.js';

const CAPMEM_MAX = nominal.capMemValueMax_lsb;
const WEIGHT_MAX = nominal.synapseWeightMax;

export interface RangeControl {
  readonly kind: 'range';
  readonly id: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
  readonly unit: string;
  /** Shown only for these values of the page's `variant` control (all when absent). */
  readonly variants?: readonly string[];
}

export interface SelectControl {
  readonly kind: 'select';
  readonly id: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly value: string;
  readonly variants?: readonly string[];
}

export type Control = RangeControl | SelectControl;
export type ControlValues = Readonly<Record<string, number | string>>;

export interface LabPage {
  readonly id: string;
  readonly title: string;
  /** Short explanation, one string per paragraph (plain text). */
  readonly paragraphs: readonly string[];
  readonly controls: readonly Control[];
  /** Values other controls take when a select changes (e.g. an AdEx preset sets a, b, τ_w, V_T and I). */
  readonly presets?: { readonly control: string; readonly values: Readonly<Record<string, Readonly<Record<string, number>>>> };
  readonly build: (values: ControlValues) => LabExperiment;
}

/** What checking values needs of a page: its id (for errors) and its controls (a tutorial or the training page). */
export interface ControlledPage {
  readonly id: string;
  readonly controls: readonly Control[];
}

/** The controls' default values of `page`. */
export function defaultValues(page: ControlledPage): Record<string, number | string> {
  return Object.fromEntries(page.controls.map((control) => [control.id, control.value]));
}

/**
 * `values` over the page's defaults, each checked against its control: a number in range on the step grid, a
 * select one of its options; an unknown control is refused too. Throws LabParameterError naming the page.
 */
export function checkedValues(page: ControlledPage, values: ControlValues): Record<string, number | string> {
  const out = defaultValues(page);
  for (const [id, value] of Object.entries(values)) {
    const control = page.controls.find((c) => c.id === id);
    if (control === undefined) throw new LabParameterError(page.id, id, value, `no such control; known: ${page.controls.map((c) => c.id).join(', ')}`);
    if (control.kind === 'range') {
      const rule = `a number in ${control.min}..${control.max}${control.unit === '' ? '' : ` ${control.unit}`} in steps of ${control.step}`;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < control.min || value > control.max) throw new LabParameterError(page.id, id, value, rule);
      const steps = (value - control.min) / control.step;
      if (Math.abs(steps - Math.round(steps)) > 1e-6) throw new LabParameterError(page.id, id, value, rule);
    } else if (typeof value !== 'string' || !control.options.some((o) => o.value === value)) {
      throw new LabParameterError(page.id, id, value, `one of ${control.options.map((o) => o.value).join(', ')}`);
    }
    out[id] = value;
  }
  return out;
}

const num = (values: ControlValues, id: string): number => values[id] as number;
const str = (values: ControlValues, id: string): string => values[id] as string;
const chipSeedControl: RangeControl = { kind: 'range', id: 'chipSeed', label: 'Chip seed', min: 1, max: 64, step: 1, value: 1, unit: '' };

// ---- 1. single neuron ---------------------------------------------------------------------------------------

/** The tutorial's leak-over-threshold configuration (pynn test/tutorial-observations.test.ts), raw CapMem values. */
function leakOverThreshold(values: ControlValues): Record<string, number | boolean> {
  return {
    leak_v_leak: num(values, 'leak'),
    leak_i_bias: num(values, 'leakBias'),
    threshold_v_threshold: num(values, 'threshold'),
    threshold_enable: true,
    reset_v_reset: 400,
    membrane_capacitance_capacitance: nominal.membraneCapacitanceMax,
    refractory_period_refractory_time: 255,
    reset_i_bias: CAPMEM_MAX,
    reset_enable_multiplication: true,
  };
}

const HX_RUN_MS = 100;

export const singleNeuronPage: LabPage = {
  id: 'single-neuron',
  title: 'Single neuron',
  paragraphs: [
    `The first steps of the reference tutorial on an uncalibrated chip: an HXNeuron takes raw CapMem settings (0..${CAPMEM_MAX}) and its membrane is read by the MADC in raw codes. A silent neuron rests where its leak potential puts it; with the leak potential above the threshold it fires regularly, a sawtooth between reset and threshold.`,
    'The same configuration on ten neurons fires at ten different rates and phases: every analog circuit has its own fixed-pattern offsets (the chip seed sets them). The MADC records two neurons at a time; all ten spike.',
    "A calibrated neuron (IF_curr_exp in model units) receives excitatory and inhibitory PSPs. The lab uses the 'nominal' calibration (the datasheet's transfer functions): measuring a calibration takes tens of seconds, too long for a page.",
  ],
  controls: [
    {
      kind: 'select',
      id: 'variant',
      label: 'Experiment',
      options: [
        { value: 'silent', label: 'A silent neuron (leak slider)' },
        { value: 'over-threshold', label: 'Leak over threshold' },
        { value: 'ten-neurons', label: 'The same on 10 neurons' },
        { value: 'calibrated-psp', label: 'Calibrated neuron with PSPs' },
      ],
      value: 'over-threshold',
    },
    chipSeedControl,
    { kind: 'range', id: 'silentLeak', label: 'Leak potential (leak_v_leak)', min: 0, max: CAPMEM_MAX, step: 1, value: 700, unit: 'LSB', variants: ['silent'] },
    { kind: 'range', id: 'leak', label: 'Leak potential (leak_v_leak)', min: 0, max: CAPMEM_MAX, step: 1, value: 1000, unit: 'LSB', variants: ['over-threshold', 'ten-neurons'] },
    { kind: 'range', id: 'leakBias', label: 'Leak conductance (leak_i_bias)', min: 0, max: CAPMEM_MAX, step: 1, value: 150, unit: 'LSB', variants: ['over-threshold', 'ten-neurons'] },
    { kind: 'range', id: 'threshold', label: 'Threshold (threshold_v_threshold)', min: 0, max: CAPMEM_MAX, step: 1, value: 300, unit: 'LSB', variants: ['over-threshold', 'ten-neurons'] },
    {
      kind: 'select',
      id: 'tracePair',
      label: 'Neurons on the MADC',
      options: [0, 1, 2, 3, 4].map((k) => ({ value: String(k), label: `${2 * k} and ${2 * k + 1}` })),
      value: '0',
      variants: ['ten-neurons'],
    },
    { kind: 'range', id: 'excWeight', label: 'Excitatory weight', min: 0, max: WEIGHT_MAX, step: 1, value: 40, unit: '', variants: ['calibrated-psp'] },
    { kind: 'range', id: 'inhWeight', label: 'Inhibitory weight', min: 0, max: WEIGHT_MAX, step: 1, value: 40, unit: '', variants: ['calibrated-psp'] },
  ],
  build(values) {
    const chipSeed = num(values, 'chipSeed');
    const variant = str(values, 'variant');
    if (variant === 'silent') {
      return fileExperiment('A silent neuron', {
        setup: { chipSeed, calibration: 'nominal' },
        populations: [{ label: 'neuron', size: 1, cellType: 'HXNeuron', parameters: { leak_v_leak: num(values, 'silentLeak'), leak_i_bias: CAPMEM_MAX, threshold_enable: false }, record: ['v'] }],
        duration_ms: HX_RUN_MS,
      });
    }
    if (variant === 'over-threshold' || variant === 'ten-neurons') {
      const ten = variant === 'ten-neurons';
      const pair = Number(str(values, 'tracePair'));
      return fileExperiment(ten ? 'Leak over threshold on 10 neurons' : 'Leak over threshold', {
        setup: { chipSeed, calibration: 'nominal' },
        populations: [
          {
            label: 'neuron',
            size: ten ? 10 : 1,
            cellType: 'HXNeuron',
            parameters: leakOverThreshold(values),
            record: ten ? ['spikes', { variables: ['v'], indices: [2 * pair, 2 * pair + 1] }] : ['spikes', 'v'],
          },
        ],
        duration_ms: HX_RUN_MS,
      });
    }
    return fileExperiment('A calibrated neuron receiving PSPs', {
      setup: { chipSeed, calibration: 'nominal' },
      populations: [
        { label: 'excitatory', size: 1, cellType: 'SpikeSourceArray', parameters: { spike_times: [10, 40, 43, 46, 49] }, record: ['spikes'] },
        { label: 'inhibitory', size: 1, cellType: 'SpikeSourceArray', parameters: { spike_times: [25, 70, 73, 76, 79] }, record: ['spikes'] },
        { label: 'neuron', size: 1, cellType: 'IF_curr_exp', parameters: { tau_m: 10, tau_syn_E: 5, tau_syn_I: 5, v_thresh: -50 }, record: ['spikes', 'v'] },
      ],
      projections: [
        { label: 'excitation', pre: 'excitatory', post: 'neuron', connector: { type: 'AllToAll' }, synapse: { weight: num(values, 'excWeight') }, receptorType: 'excitatory' },
        { label: 'inhibition', pre: 'inhibitory', post: 'neuron', connector: { type: 'AllToAll' }, synapse: { weight: -num(values, 'inhWeight') }, receptorType: 'inhibitory' },
      ],
      duration_ms: HX_RUN_MS,
    });
  },
};

function fileExperiment(title: string, file: ExperimentFile): LabExperiment {
  return { kind: 'file', title, file: { name: title, ...file } };
}

// ---- 2. AdEx firing patterns --------------------------------------------------------------------------------

/** Naud et al. (2008), Table 1 (as test-fixtures/references/adex_naud_patterns.json): C pF, gL nS, EL, VT, Vr mV, a nS, tauW ms, b pA, I pA. */
export const NAUD_PATTERNS: Readonly<Record<string, { C: number; gL: number; EL: number; VT: number; a: number; tauW: number; b: number; Vr: number; I: number }>> = {
  tonic: { C: 200, gL: 10, EL: -70, VT: -50, a: 2, tauW: 30, b: 0, Vr: -58, I: 500 },
  adapting: { C: 200, gL: 12, EL: -70, VT: -50, a: 2, tauW: 300, b: 60, Vr: -58, I: 500 },
  initialBurst: { C: 130, gL: 18, EL: -58, VT: -50, a: 4, tauW: 150, b: 120, Vr: -50, I: 400 },
  regularBursting: { C: 200, gL: 10, EL: -58, VT: -50, a: 2, tauW: 120, b: 100, Vr: -46, I: 210 },
  delayedAccelerating: { C: 200, gL: 12, EL: -70, VT: -50, a: -10, tauW: 300, b: 0, Vr: -58, I: 300 },
  delayedRegularBursting: { C: 100, gL: 10, EL: -65, VT: -50, a: -10, tauW: 90, b: 30, Vr: -47, I: 110 },
  transient: { C: 100, gL: 10, EL: -65, VT: -50, a: 10, tauW: 90, b: 100, Vr: -47, I: 180 },
  irregular: { C: 100, gL: 12, EL: -60, VT: -50, a: -11, tauW: 130, b: 30, Vr: -48, I: 160 },
};
const ADEX_RUN_MS = 300;

export const adexPage: LabPage = {
  id: 'adex',
  title: 'AdEx firing patterns',
  paragraphs: [
    'The adaptive exponential integrate-and-fire neuron (EIF_cond_exp_isfa_ista) with the parameter sets of Naud et al. (2008): one model, eight firing patterns — tonic, adapting, bursting, accelerating, transient, irregular. A preset sets the sliders; move them to see a pattern change into another.',
    "Runs on the ideal chip (no fixed-pattern variation) with the nominal calibration; the chip's exponential slope is fixed, so pynn scales the population's voltages to give Δ_T = 2 mV (pynn README, AdEx voltage scale).",
  ],
  controls: [
    { kind: 'select', id: 'preset', label: 'Pattern (Naud et al. 2008)', options: Object.keys(NAUD_PATTERNS).map((name) => ({ value: name, label: name })), value: 'adapting' },
    { kind: 'range', id: 'a', label: 'Subthreshold adaptation a', min: -12, max: 12, step: 0.5, value: 2, unit: 'nS' },
    { kind: 'range', id: 'b', label: 'Spike-triggered adaptation b', min: 0, max: 150, step: 5, value: 60, unit: 'pA' },
    { kind: 'range', id: 'tau_w', label: 'Adaptation time constant τ_w', min: 10, max: 400, step: 5, value: 300, unit: 'ms' },
    { kind: 'range', id: 'v_thresh', label: 'Threshold V_T', min: -55, max: -45, step: 0.5, value: -50, unit: 'mV' },
    { kind: 'range', id: 'current', label: 'Input current I', min: 0, max: 600, step: 10, value: 500, unit: 'pA' },
  ],
  presets: {
    control: 'preset',
    values: Object.fromEntries(Object.entries(NAUD_PATTERNS).map(([name, p]) => [name, { a: p.a, b: p.b, tau_w: p.tauW, v_thresh: p.VT, current: p.I }])),
  },
  build(values) {
    const p = NAUD_PATTERNS[str(values, 'preset')]!;
    return fileExperiment(`AdEx: ${str(values, 'preset')}`, {
      setup: { idealChip: true, calibration: 'nominal' },
      populations: [
        {
          label: 'adex',
          size: 1,
          cellType: 'EIF_cond_exp_isfa_ista',
          parameters: {
            cm: p.C / 1000,
            tau_m: p.C / p.gL,
            v_rest: p.EL,
            v_reset: p.Vr,
            v_thresh: num(values, 'v_thresh'),
            delta_T: 2,
            v_spike: -40,
            a: num(values, 'a'),
            b: num(values, 'b') / 1000,
            tau_w: num(values, 'tau_w'),
            i_offset: num(values, 'current') / 1000,
            tau_refrac: 0.3,
          },
          record: ['spikes', 'v'],
        },
      ],
      duration_ms: ADEX_RUN_MS,
    });
  },
};

// ---- 3. PSPs and short-term plasticity ----------------------------------------------------------------------

/** The chip's STP utilization setting: U = k / 15 (4 bits, pynn's TsodyksMarkramSynapse). */
export const UTILIZATION_STEPS = 15;
const STP_FIRST_MS = 20;

export const pspPage: LabPage = {
  id: 'psp',
  title: 'PSPs and short-term plasticity',
  paragraphs: [
    'A train of input spikes onto one calibrated neuron (IF_curr_exp, nominal calibration): each spike gives a postsynaptic potential whose height follows the weight and whose shape follows τ_m and τ_syn; close spikes sum.',
    "Short-term plasticity (Tsodyks-Markram, pynn's TsodyksMarkramSynapse) on the synapse driver: each spike is transmitted with an amplitude ∝ U·R and uses up U of the resources R, which recover towards 1 with τ_rec. A fast train depresses the PSPs; a slow one lets them recover. The same train through a static synapse (a second run) shows the undepressed height for comparison.",
    "The chip's STP depresses only — it has no facilitation (pynn refuses tau_facil ≠ 0). U is set in steps of 1/15 and τ_rec through a recovery clock; the STP variant runs on the ideal chip, as pynn's STP test does, so the heights follow the formula R₁ = 1, R_{k+1} = 1 − (1 − R_k(1 − U))·e^(−Δt/τ_rec).",
  ],
  controls: [
    {
      kind: 'select',
      id: 'variant',
      label: 'Synapse',
      options: [
        { value: 'stp', label: 'Depressing vs static (STP)' },
        { value: 'static', label: 'Static synapse (weight, τ sliders)' },
      ],
      value: 'stp',
    },
    { ...chipSeedControl, variants: ['static'] },
    { kind: 'range', id: 'weight', label: 'Weight', min: 0, max: WEIGHT_MAX, step: 1, value: 30, unit: '', variants: ['static'] },
    { kind: 'range', id: 'tau_syn', label: 'Synaptic time constant τ_syn', min: 1, max: 10, step: 0.5, value: 5, unit: 'ms', variants: ['static'] },
    { kind: 'range', id: 'tau_m', label: 'Membrane time constant τ_m', min: 5, max: 30, step: 1, value: 10, unit: 'ms', variants: ['static'] },
    { kind: 'range', id: 'spikes', label: 'Input spikes', min: 1, max: 8, step: 1, value: 5, unit: '', variants: ['static'] },
    { kind: 'range', id: 'interval', label: 'Inter-spike interval', min: 1, max: 20, step: 1, value: 4, unit: 'ms', variants: ['static'] },
    { kind: 'range', id: 'utilization', label: 'Utilization U (fifteenths)', min: 1, max: UTILIZATION_STEPS, step: 1, value: 6, unit: '/15', variants: ['stp'] },
    { kind: 'range', id: 'tau_rec', label: 'Recovery time constant τ_rec', min: 10, max: 500, step: 10, value: 130, unit: 'ms', variants: ['stp'] },
    { kind: 'range', id: 'rate', label: 'Train rate', min: 5, max: 50, step: 5, value: 20, unit: 'Hz', variants: ['stp'] },
    { kind: 'range', id: 'trainSpikes', label: 'Spikes in the train', min: 2, max: 12, step: 1, value: 8, unit: '', variants: ['stp'] },
    { kind: 'range', id: 'stpWeight', label: 'Weight', min: 1, max: WEIGHT_MAX, step: 1, value: WEIGHT_MAX, unit: '', variants: ['stp'] },
  ],
  build(values) {
    if (str(values, 'variant') === 'stp') {
      const isi_ms = 1000 / num(values, 'rate');
      const spikeTimes_ms = Array.from({ length: num(values, 'trainSpikes') }, (_, k) => Number((STP_FIRST_MS + k * isi_ms).toFixed(6)));
      return {
        kind: 'stp',
        title: 'Short-term plasticity',
        stp: { utilization: num(values, 'utilization'), tau_rec_ms: num(values, 'tau_rec'), weight: num(values, 'stpWeight'), spikeTimes_ms, tau_m_ms: 10, tau_syn_ms: 5, run_ms: Math.ceil(spikeTimes_ms.at(-1)! + 60) },
      };
    }
    const times = Array.from({ length: num(values, 'spikes') }, (_, k) => 10 + k * num(values, 'interval'));
    return fileExperiment('PSPs', {
      setup: { chipSeed: num(values, 'chipSeed'), calibration: 'nominal' },
      populations: [
        { label: 'input', size: 1, cellType: 'SpikeSourceArray', parameters: { spike_times: times }, record: ['spikes'] },
        { label: 'neuron', size: 1, cellType: 'IF_curr_exp', parameters: { tau_m: num(values, 'tau_m'), tau_syn_E: num(values, 'tau_syn'), v_thresh: -40 }, record: ['spikes', 'v'] },
      ],
      projections: [{ label: 'drive', pre: 'input', post: 'neuron', connector: { type: 'AllToAll' }, synapse: { weight: num(values, 'weight') }, receptorType: 'excitatory' }],
      duration_ms: Math.max(60, times.at(-1)! + 40),
    });
  },
};

// ---- 4. multi-compartment chain -----------------------------------------------------------------------------

export const chainPage: LabPage = {
  id: 'chain',
  title: 'Multi-compartment chain',
  paragraphs: [
    "The reference's dendritic chain (pynn's createMcNeuron): compartments of two neuron circuits each, joined through a conductance onto the shared line. Three input spikes at once reach one compartment; the EPSP spreads and shrinks along the chain.",
    'A stronger conductance carries it further (a longer length constant), a stronger leak shortens it. The MADC records two compartments per run, so the page runs the chain once per pair (HXNeuron settings, raw MADC codes, ideal chip).',
  ],
  controls: [
    chipSeedControl,
    { kind: 'range', id: 'compartments', label: 'Compartments', min: 2, max: 6, step: 1, value: 4, unit: '' },
    { kind: 'range', id: 'conductance', label: 'Inter-compartment conductance (i_bias_nmda)', min: 0, max: CAPMEM_MAX, step: 1, value: 200, unit: 'LSB' },
    { kind: 'range', id: 'leak', label: 'Leak (leak_i_bias)', min: 0, max: CAPMEM_MAX, step: 1, value: 100, unit: 'LSB' },
    { kind: 'range', id: 'inputCompartment', label: 'Input compartment', min: 0, max: 5, step: 1, value: 0, unit: '' },
  ],
  build(values) {
    const compartments = num(values, 'compartments');
    const inputCompartment = num(values, 'inputCompartment');
    if (inputCompartment >= compartments) throw new LabParameterError('chain', 'inputCompartment', inputCompartment, `a compartment of the chain, 0..${compartments - 1}`);
    return {
      kind: 'chain',
      title: 'Dendritic chain',
      chain: { chipSeed: num(values, 'chipSeed'), compartments, conductance_lsb: num(values, 'conductance'), leak_lsb: num(values, 'leak'), inputCompartment, input_ms: 20, run_ms: 80 },
    };
  },
};

// ---- 5. dynamic range of synaptic weights -------------------------------------------------------------------

export const weightsPage: LabPage = {
  id: 'weights',
  title: 'Dynamic range of synaptic weights',
  paragraphs: [
    'One neuron receives one spike at a time, each through a synapse of a larger weight. A synapse holds 6 bits (0..63); pynn puts larger weights on several synapse rows. The PSP height grows with the weight until the membrane leaves its linear range.',
    'Calibrated neuron (IF_curr_exp, nominal calibration); the PSP height is read from the trace in each input window.',
  ],
  controls: [
    chipSeedControl,
    { kind: 'range', id: 'steps', label: 'Weights tried', min: 2, max: 12, step: 1, value: 8, unit: '' },
    { kind: 'range', id: 'maxWeight', label: 'Largest weight', min: 1, max: 2 * WEIGHT_MAX, step: 1, value: 2 * WEIGHT_MAX, unit: '' },
    { kind: 'range', id: 'tau_m', label: 'Membrane time constant τ_m', min: 5, max: 20, step: 1, value: 10, unit: 'ms' },
  ],
  build(values) {
    const steps = num(values, 'steps');
    const weights = Array.from({ length: steps }, (_, k) => Math.round((num(values, 'maxWeight') * (k + 1)) / steps));
    const times = weights.map((_, k) => WEIGHT_FIRST_MS + k * WEIGHT_WINDOW_MS);
    return {
      ...fileExperiment('Weights', {
        setup: { chipSeed: num(values, 'chipSeed'), calibration: 'nominal' },
        populations: [
          { label: 'input', size: steps, cellType: 'SpikeSourceArray', parameters: { spike_times: times.map((t) => [t]) }, record: ['spikes'] },
          { label: 'neuron', size: 1, cellType: 'IF_curr_exp', parameters: { tau_m: num(values, 'tau_m'), tau_syn_E: 2, v_thresh: -20 }, record: ['spikes', 'v'] },
        ],
        projections: [{ label: 'weights', pre: 'input', post: 'neuron', connector: { type: 'FromList', connections: weights.map((w, k) => [k, 0, w]) }, receptorType: 'excitatory' }],
        duration_ms: WEIGHT_FIRST_MS + steps * WEIGHT_WINDOW_MS,
      }),
      analysis: { kind: 'psp-heights', population: 'neuron', windowStarts_ms: times, window_ms: WEIGHT_WINDOW_MS, x: weights, xLabel: 'weight' },
    };
  },
};

/** The weights page's input schedule: the k-th weight's spike at FIRST + k · WINDOW ms. */
export const WEIGHT_FIRST_MS = 10;
export const WEIGHT_WINDOW_MS = 25;

// ---- 6. STDP on the plasticity processors --------------------------------------------------------------------

/** Between pairings, ms: 10 τ_c of the correlation sensors (5 ms), so pairs do not interact. */
export const STDP_GAP_MS = 50;
const STDP_FIRST_MS = STDP_GAP_MS + 10;
/** Window mode's Δt grid, ms (a handful: one synapse each, all in one run). */
export const STDP_WINDOW_DTS_MS: readonly number[] = [-20, -10, -5, -2, 2, 5, 10, 20];
const PAIRS_PER_UPDATE = 5;

/**
 * When the STDP experiment spikes, invokes the rule and cuts the run: pre spikes at first + k·gap, post spikes Δt
 * later; invocations half a gap before the first pair (resetting the sensors) and half a gap after every update
 * block; each run piece ends a quarter gap after its invocation, so the kernel has finished and no spike is near.
 */
export function stdpSchedule(s: StdpSettings): { pre_ms: number[]; post_ms: number[][]; invocations_ms: number[]; period_ms: number; runs_ms: number[] } {
  const refuse = (field: string, value: unknown, rule: string): never => {
    throw new LabRequestError(`STDP settings: ${field} ${typeof value === 'number' ? String(value) : JSON.stringify(value)} must be ${rule}`);
  };
  if (!(s.gap_ms > 0)) refuse('gap_ms', s.gap_ms, 'a time > 0 ms');
  if (!Number.isSafeInteger(s.pairs) || s.pairs < 1) refuse('pairs', s.pairs, 'an integer ≥ 1');
  if (s.mode !== 'trajectory' && s.mode !== 'window') refuse('mode', s.mode, "'trajectory' or 'window'");
  if (s.mode === 'trajectory' && (!Number.isSafeInteger(s.pairsPerUpdate) || s.pairsPerUpdate < 1 || s.pairs % s.pairsPerUpdate !== 0)) {
    refuse('pairsPerUpdate', s.pairsPerUpdate, `an integer ≥ 1 dividing pairs (${s.pairs})`);
  }
  if (!Array.isArray(s.dts_ms) || s.dts_ms.length === 0 || (s.mode === 'trajectory' && s.dts_ms.length !== 1)) refuse('dts_ms', s.dts_ms, s.mode === 'trajectory' ? 'one Δt' : 'a list of Δt');
  // The invocations half a gap after each pair must follow its post spike and precede the next pair's.
  for (const dt of s.dts_ms) if (!(Math.abs(dt) < s.gap_ms / 2)) refuse('dts_ms', dt, `within ±${s.gap_ms / 2} ms (half the gap between pairings)`);
  if (!(s.first_ms >= s.gap_ms)) refuse('first_ms', s.first_ms, `≥ gap_ms (${s.gap_ms} ms), so the first invocation and post spike come after 0`);
  const pre_ms = Array.from({ length: s.pairs }, (_, k) => s.first_ms + k * s.gap_ms);
  const post_ms = s.dts_ms.map((dt) => pre_ms.map((t) => t + dt));
  const update = s.mode === 'trajectory' ? s.pairsPerUpdate : s.pairs;
  const period_ms = update * s.gap_ms;
  const invocations_ms = Array.from({ length: s.pairs / update + 1 }, (_, k) => s.first_ms - s.gap_ms / 2 + k * period_ms);
  const runs_ms = invocations_ms.map((_, k) => (k === 0 ? s.first_ms - s.gap_ms / 4 : period_ms));
  return { pre_ms, post_ms, invocations_ms, period_ms, runs_ms };
}

export const stdpPage: LabPage = {
  id: 'stdp',
  title: 'STDP with the plasticity processor',
  paragraphs: [
    "Spike-timing-dependent plasticity as in the reference's STDP tutorial: a pre spike and a post spike Δt later, repeated. Every synapse has two correlation sensors that accumulate e^(−|Δt|/τ_c) per pair (causal for Δt > 0, acausal for Δt < 0; τ_c = 5 ms); the plasticity processor (PPU) reads them at each invocation of the rule, resets them and changes the weight: Δw = η₊·c₊ − η₋·c₋ (pynn's built-in additive STDP, gains η in 128ths).",
    'The post neuron fires exactly when a teacher spike arrives (its threshold is off; the teacher bypasses the membrane), so Δt is exact. In the weight-trajectory mode the rule runs after every 5 pairings and the weight is read after each; the window mode pairs one synapse per Δt of a small grid and plots Δw against Δt: potentiation for causal pairs, depression for acausal ones, decaying with |Δt|. Each weight step is a whole LSB: at ±20 ms thirty pairings accumulate less than one, so Δw is 0 there (more pairings or larger gains show it).',
    "Runs on the ideal chip: on a varied chip every sensor has its own offset of several LSB — larger than a few pairings' correlation (2 LSB per pair at Δt = 0) — which pynn's STDP test measures and subtracts in a control run.",
  ],
  controls: [
    {
      kind: 'select',
      id: 'mode',
      label: 'Mode',
      options: [
        { value: 'trajectory', label: 'Weight trajectory at one Δt' },
        { value: 'window', label: `Window: Δw at ${STDP_WINDOW_DTS_MS.length} values of Δt` },
      ],
      value: 'trajectory',
    },
    { kind: 'range', id: 'dt', label: 'Δt = t_post − t_pre', min: -20, max: 20, step: 1, value: 5, unit: 'ms', variants: ['trajectory'] },
    { kind: 'range', id: 'pairs', label: 'Pairings', min: 10, max: 60, step: 5, value: 30, unit: '' },
    { kind: 'range', id: 'initialWeight', label: 'Initial weight', min: 0, max: WEIGHT_MAX, step: 1, value: 32, unit: '' },
    { kind: 'range', id: 'etaPlus', label: 'Potentiation gain η₊ (128ths)', min: 0, max: 127, step: 1, value: 64, unit: '' },
    { kind: 'range', id: 'etaMinus', label: 'Depression gain η₋ (128ths)', min: 0, max: 127, step: 1, value: 64, unit: '' },
  ],
  build(values) {
    const mode = str(values, 'mode') as StdpSettings['mode'];
    const stdp: StdpSettings = {
      mode,
      dts_ms: mode === 'trajectory' ? [num(values, 'dt')] : [...STDP_WINDOW_DTS_MS],
      pairs: num(values, 'pairs'),
      pairsPerUpdate: PAIRS_PER_UPDATE,
      gap_ms: STDP_GAP_MS,
      first_ms: STDP_FIRST_MS,
      initialWeight: num(values, 'initialWeight'),
      etaPlus: num(values, 'etaPlus'),
      etaMinus: num(values, 'etaMinus'),
    };
    return { kind: 'stdp', title: mode === 'trajectory' ? `STDP at Δt = ${stdp.dts_ms[0]} ms` : 'STDP window', stdp };
  },
};

// ---- 7. the experiment-file editor --------------------------------------------------------------------------

export const editorPage = {
  id: 'editor',
  title: 'Experiment editor',
  paragraphs: [
    'Paste or load an experiment file (the format of `bss2 run`, JSON; see test-fixtures/experiments). It is checked as you type; every problem is shown at its JSON path. Run it to plot its traces and spikes.',
  ],
} as const;

/** The tutorial pages in order (the editor is the last page of the site). */
export const pages: readonly LabPage[] = [singleNeuronPage, adexPage, pspPage, chainPage, weightsPage, stdpPage];

/** The page with `id`, or a LabParameterError listing the known ones. */
export function pageById(id: string): LabPage {
  const page = pages.find((p) => p.id === id);
  if (page === undefined) throw new LabParameterError(id, 'page', id, `no such page; known: ${pages.map((p) => p.id).join(', ')}`);
  return page;
}
