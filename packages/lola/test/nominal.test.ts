// The datasheet's nominal numbers (src/nominal.ts): pinned to hardware.md, derived counts equal to halco's sizes,
// limits equal to what the containers accept, transfer functions inverting each other.
import fc from 'fast-check';
import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  CADCChannelConfigOnDLS,
  NeuronColumnOnDLS,
  PADIBusOnDLS,
  SynapseDriverOnDLS,
  SynapseOnDLS,
  SynapseRowOnDLS,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuron,
  BackgroundSpikeSource,
  CADCSampleQuad,
  CapMemCell,
  CommonNeuronBackendConfig,
  FieldRangeError,
  MADCConfig,
  NeuronBackendConfig,
  SynapseQuad,
  TimerValue,
  madcSampleRate_hz,
  nominal,
} from '../src/index.js';

const seed = 0x90a1;

describe('nominal: clocks (hardware.md §1.1)', () => {
  it('states the FPGA, PPU and MADC clocks and the speed-up once, the rest derived', () => {
    expect(nominal.fpgaClock_hz).toBe(125e6);
    expect(nominal.fpgaClockCyclesPerUs).toBe(125);
    expect(nominal.fpgaCycle_ns).toBe(8);
    expect(nominal.ppuClock_hz).toBe(250e6);
    expect(nominal.ppuClockCyclesPerUs).toBe(250);
    expect(nominal.chipTimestampTicksPerFpgaCycle).toBe(2);
    expect(nominal.madcClock_hz).toBe(500e6);
    expect(nominal.speedUpFactor).toBe(1000);
    expect(nominal.backgroundSpikeSourceClock_hz).toBe(nominal.fpgaClock_hz);
  });

  it('TimerValue converts µs at the nominal FPGA clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 24 }), (cycles) => {
        expect(TimerValue.fromMicroseconds(new TimerValue(cycles).toMicroseconds()).value).toBe(cycles);
      }),
      { seed },
    );
    expect(TimerValue.fromMicroseconds(1).value).toBe(nominal.fpgaClockCyclesPerUs);
  });

  it('backend clock s runs at 250 MHz / 2^(s+1): 125 MHz down to ≈ 3.81 kHz', () => {
    expect(nominal.neuronBackendClock_hz(0)).toBe(nominal.fpgaClock_hz);
    expect(nominal.neuronBackendClockPeriod_ns(0)).toBe(nominal.fpgaCycle_ns);
    expect(nominal.neuronBackendClockScaleMax).toBe(15);
    expect(nominal.neuronBackendClock_hz(nominal.neuronBackendClockScaleMax)).toBeCloseTo(3814.7, 1);
    for (let s = 0; s <= nominal.neuronBackendClockScaleMax; s++) {
      expect(nominal.neuronBackendClockPeriod_ns(s)).toBe(8 * 2 ** s);
      expect(nominal.neuronBackendClockPeriod_ns(s) * nominal.neuronBackendClock_hz(s)).toBeCloseTo(1e9, 6);
    }
    expect(() => new CommonNeuronBackendConfig({ clockScaleFast: nominal.neuronBackendClockScaleMax + 1 })).toThrow(FieldRangeError);
  });

  it('τ_ref = refractory_time / f and the reset ends 0x1F − 2·hold-off cycles earlier (§8.1)', () => {
    expect(nominal.refractoryPeriod_ns(250, 0)).toBe(2000);
    expect(nominal.resetDuration_ns(251, 15, 0)).toBe(2000);
    expect(nominal.resetDuration_ns(100, 0, 1)).toBe((100 - 31) * 16);
    expect(nominal.resetDuration_ns(10, 0, 0)).toBeLessThanOrEqual(0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: nominal.refractoryTimeMax }),
        fc.integer({ min: 0, max: nominal.resetHoldoffMax }),
        fc.integer({ min: 0, max: nominal.neuronBackendClockScaleMax }),
        (time, holdoff, scale) => {
          const f_hz = nominal.neuronBackendClock_hz(scale);
          expect(nominal.refractoryPeriod_ns(time, scale)).toBeCloseTo((time / f_hz) * 1e9, 6);
          const beforeEnd_ns = nominal.refractoryPeriod_ns(time, scale) - nominal.resetDuration_ns(time, holdoff, scale);
          expect(beforeEnd_ns).toBeCloseTo(((0x1f - 2 * holdoff) / f_hz) * 1e9, 6);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

describe('nominal: counts are halco sizes (§1)', () => {
  it('matches the chip-at-a-glance table', () => {
    expect(nominal.neuronCount).toBe(AtomicNeuronOnDLS.size);
    expect(nominal.neuronCount).toBe(512);
    expect(nominal.neuronColumnCount).toBe(NeuronColumnOnDLS.size);
    expect(nominal.hemisphereCount * nominal.neuronColumnCount).toBe(nominal.neuronCount);
    expect(nominal.synapseCount).toBe(SynapseOnDLS.size);
    expect(nominal.synapseCount).toBe(2 * 65_536);
    expect(nominal.synapseDriverCount).toBe(SynapseDriverOnDLS.size);
    expect(nominal.padiBusCount).toBe(PADIBusOnDLS.size);
    expect(nominal.padiBusesPerHemisphere * nominal.hemisphereCount).toBe(nominal.padiBusCount);
    // Every synapse row of a hemisphere is reached by exactly one bus.
    expect(nominal.synapseRowsPerPadiBus * nominal.padiBusCount).toBe(SynapseRowOnDLS.size);
    expect(nominal.cadcChannelCount).toBe(CADCChannelConfigOnDLS.size);
    expect(nominal.backgroundSpikeSourceCount).toBe(BackgroundSpikeSourceOnDLS.size);
    expect(nominal.backgroundSpikeSourceCount).toBe(nominal.padiBusCount);
    // One sweep reads every causal quad of sample row 0 of both CADCs: 4 neurons per read.
    expect(nominal.cadcReadsPerSweep * 4).toBe(nominal.neuronCount);
  });
});

describe('nominal: limits are what the containers accept', () => {
  const acceptsUpTo = (make: (value: number) => unknown, max: number): void => {
    expect(() => make(max)).not.toThrow();
    expect(() => make(max + 1)).toThrow(FieldRangeError);
  };

  it('synapse weight and label, CapMem value, backend counters, background generator fields', () => {
    expect(nominal.synapseWeightMax).toBe(63);
    acceptsUpTo((w) => new SynapseQuad({ weights: [w, 0, 0, 0] }), nominal.synapseWeightMax);
    acceptsUpTo((l) => new SynapseQuad({ labels: [l, 0, 0, 0] }), nominal.synapseLabelMax);
    expect(nominal.capMemValueMax_lsb).toBe(1022);
    acceptsUpTo((value) => new CapMemCell({ value }), nominal.capMemValueMax_lsb);
    expect(CapMemCell.decode(Uint32Array.of(nominal.capMemDisableRefreshCode)).value).toBe(CapMemCell.disableRefresh);
    acceptsUpTo((c) => new AtomicNeuron({ membraneCapacitance: { capacitance: c } }), nominal.membraneCapacitanceMax);
    acceptsUpTo((refractoryTime) => new NeuronBackendConfig({ refractoryTime }), nominal.refractoryTimeMax);
    acceptsUpTo((resetHoldoff) => new NeuronBackendConfig({ resetHoldoff }), nominal.resetHoldoffMax);
    acceptsUpTo((addressOut) => new NeuronBackendConfig({ addressOut }), nominal.neuronAddressOutMax);
    expect([nominal.backgroundPeriodMax_ticks, nominal.backgroundRateSteps, nominal.backgroundSeedMax]).toEqual([0xffff, 255, 0xffff_ffff]);
    acceptsUpTo((period) => new BackgroundSpikeSource({ period }), nominal.backgroundPeriodMax_ticks);
    acceptsUpTo((rate) => new BackgroundSpikeSource({ rate }), nominal.backgroundRateSteps);
    acceptsUpTo((seed) => new BackgroundSpikeSource({ seed }), nominal.backgroundSeedMax);
    acceptsUpTo((mask) => new BackgroundSpikeSource({ mask }), nominal.backgroundRandomLabelCount - 1);
    acceptsUpTo((code) => new CADCSampleQuad({ samples: [code, 0, 0, 0] }), nominal.cadcCodeMax_lsb);
    acceptsUpTo((madcClockScaleValue) => new MADCConfig({ madcClockScaleValue }), nominal.madcClockScaleMax);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(nominal)).toBe(true);
    expect(() => {
      (nominal as { fpgaClock_hz: number }).fpgaClock_hz = 100e6;
    }).toThrow(TypeError);
  });
});

describe('nominal: readout (§3.9, §8.3)', () => {
  it('MADC: 10 bit over 1.2 V, 34 ns per sample at the reset configuration', () => {
    expect(nominal.madcCodeMax_lsb).toBe(2 ** nominal.madcResolution_bits - 1);
    expect(nominal.madcCode(0)).toBe(0);
    expect(nominal.madcCode(nominal.madcFullScale_V)).toBe(1023);
    expect(nominal.madcCode(-0.1)).toBe(0);
    expect(nominal.madcCode(2)).toBe(1023);
    expect(nominal.madcBaseSamplePeriod_ns).toBe(34);
    expect(nominal.madcBaseSamplePeriod_ns).toBeCloseTo(1e9 / madcSampleRate_hz(new MADCConfig()), 9);
  });

  it('CADC: 0.15 V → 20, 1.05 V → 220, clamped to 0..255', () => {
    expect(nominal.cadcCode(0.15)).toBe(20);
    expect(nominal.cadcCode(1.05)).toBe(220);
    expect(nominal.cadcCode(0)).toBe(0);
    expect(nominal.cadcCode(1.2, 100)).toBe(nominal.cadcCodeMax_lsb);
    expect(nominal.cadcCodeToVoltage_V(20)).toBeCloseTo(0.15, 12);
  });

  it('code → voltage → code is the identity on every code; voltage → code → voltage is within half a code', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: nominal.cadcCodeMax_lsb }), fc.integer({ min: 0, max: nominal.madcCodeMax_lsb }), (cadc, madc) => {
        expect(nominal.cadcCode(nominal.cadcCodeToVoltage_V(cadc))).toBe(cadc);
        expect(nominal.voltageToCadcCode(nominal.cadcCodeToVoltage_V(cadc))).toBeCloseTo(cadc, 9);
        expect(nominal.madcCode(nominal.madcCodeToVoltage_V(madc))).toBe(madc);
      }),
      { seed },
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: nominal.madcFullScale_V, noNaN: true }), (v) => {
        expect(Math.abs(nominal.madcCodeToVoltage_V(nominal.madcCode(v)) - v)).toBeLessThanOrEqual(nominal.madcFullScale_V / nominal.madcCodeMax_lsb / 2 + 1e-12);
        const cadc = nominal.cadcCode(v);
        if (cadc > 0 && cadc < nominal.cadcCodeMax_lsb) expect(Math.abs(nominal.cadcCodeToVoltage_V(cadc) - v)).toBeLessThanOrEqual(nominal.cadcLsb_V / 2 + 1e-12);
      }),
      { seed },
    );
  });
});

describe('nominal: transfer from settings to physics (§8.3)', () => {
  it('matches the table', () => {
    expect(nominal.capMemVoltage_V(1022)).toBe(1.2);
    expect(nominal.capMemVoltage_V(511)).toBeCloseTo(0.6, 15);
    expect(nominal.capMemVoltage_mV(1022)).toBe(1200);
    expect(nominal.membraneCapacitance_pF(0)).toBe(0.1);
    expect(nominal.membraneCapacitance_pF(63)).toBeCloseTo(2.2, 15);
    expect(nominal.otaConductance_nS(100, false, false)).toBe(100);
    expect(nominal.otaConductance_nS(100, false, true)).toBe(800);
    expect(nominal.otaConductance_nS(100, true, false)).toBe(12.5);
    expect(nominal.otaConductance_nS(100, true, true)).toBe(100);
    expect(nominal.interCompartmentConductance_nS(100, true, false)).toBe(25);
    expect(nominal.interCompartmentConductance_nS(100, false, true)).toBe(400);
    expect(nominal.synapticTimeConstant_us(60, true, false)).toBe(5);
    expect(nominal.synapticTimeConstant_us(60, false, false)).toBe(20);
    expect(nominal.synapticTimeConstant_us(60, true, true)).toBe(40);
    expect(nominal.synapticTimeConstant_us(0, true, false)).toBe(Infinity);
    expect(nominal.synapticTransconductance(500)).toBe(1);
    expect(nominal.synapseDacGain(600)).toBe(1);
    expect(nominal.cobaVoltageScale_mV(500)).toBe(300);
    expect(nominal.adaptationTimeConstant_us(100)).toBe(100);
    expect(nominal.adaptationConductance_nS(10)).toBe(1);
    expect(nominal.adaptationIncrement_nA(20)).toBe(1);
    expect(nominal.exponentialCurrent_nA(10)).toBe(1);
  });

  it('offset current: 0.1 nA per LSB up to 800, then compressing, continuous and monotonic', () => {
    expect(nominal.offsetCurrent_nA(600)).toBeCloseTo(60, 12);
    expect(nominal.offsetCurrent_nA(800)).toBeCloseTo(80, 12);
    expect(nominal.offsetCurrent_nA(801) - nominal.offsetCurrent_nA(800)).toBeCloseTo(0.1, 3);
    expect(nominal.offsetCurrent_nA(nominal.capMemValueMax_lsb)).toBeCloseTo(96.9, 1);
    for (let v = 800; v < nominal.capMemValueMax_lsb; v++) expect(nominal.offsetCurrent_nA(v + 1)).toBeGreaterThan(nominal.offsetCurrent_nA(v));
  });

  it('CapMem value → voltage → value is the identity on every value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: nominal.capMemValueMax_lsb }), (value) => {
        expect(Math.round(nominal.voltageToCapMem_lsb(nominal.capMemVoltage_V(value)))).toBe(value);
        expect(nominal.capMemVoltage_mV(value)).toBeCloseTo(1000 * nominal.capMemVoltage_V(value), 9);
      }),
      { seed },
    );
  });
});
