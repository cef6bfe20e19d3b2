// Throughput of the event path (style.md, "Tests and benchmarks"): FPGA events through the crossbar, all 8
// PADI buses, drivers with STP and dense synapse rows into a counting sink.
import { ColumnCurrentQuadOnDLS, CommonPADIBusConfigOnDLS, CommonSTPConfigOnDLS, type Coordinate, SynapseDriverOnDLS } from '@bss2/halco';
import {
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CommonSTPConfig,
  type Container,
  type ContainerType,
  SYNAPSE_DRIVER_ROW_MODES,
  SynapseDriverConfig,
} from '@bss2/lola';
import { bestOf, type BenchRecord, type Benchmark, seededUniform } from '@bss2/bench';
import { EventRouter, RegisterFile, type SynapticInputSink, memoryMap } from '../src/index.js';

const EVENTS = 200_000;
const REPEATS = 5;

const random = seededUniform;

class CountingSink implements SynapticInputSink {
  calls = 0;
  total = 0;
  synapticInputs(targets: Uint16Array, weights: Float32Array, from: number, to: number, pulse: number): void {
    this.calls += to - from;
    for (let k = from; k < to; k++) this.total += targets[k]! < 512 ? weights[k]! * pulse : -weights[k]! * pulse;
  }
}

/** Every driver on, full compare mask, random row modes, STP on half of them; every synapse weighted, random labels. */
function denseRouter(sink: CountingSink): EventRouter {
  const registers = new RegisterFile(memoryMap());
  const router = new EventRouter({ registers, sink, recorder: { spike() {} } });
  const next = random(11);
  const write = (coord: Coordinate, container: Container) => {
    const words = container.encode();
    (container.constructor as unknown as ContainerType).addresses(coord).forEach((a, i) => {
      registers.write(a, words[i]!, 0xffff_ffff);
      router.onWrite(a, 0);
    });
  };
  const on = [true, true, true, true];
  for (const block of CommonPADIBusConfigOnDLS.all()) write(block, new CommonPADIBusConfig({ enableSpl1: on }));
  for (const block of CommonSTPConfigOnDLS.all()) write(block, new CommonSTPConfig({ enableRecoveryClock: true, recoveryClockSpeed: 7 }));
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    write(quad, new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: on, enableSynapticCurrentInhibitory: on }));
  }
  const modes = SYNAPSE_DRIVER_ROW_MODES.slice(1);
  for (const driver of SynapseDriverOnDLS.all()) {
    write(
      driver,
      new SynapseDriverConfig({
        enableReceiver: true,
        rowModeTop: modes[Math.floor(next() * modes.length)]!,
        rowModeBottom: modes[Math.floor(next() * modes.length)]!,
        enableStp: next() < 0.5,
        enableRecovery: true,
        utilization: 5,
        recovery: 4,
      }),
    );
  }
  const weights = registers.synapses.field('weights');
  const labels = registers.synapses.field('labels');
  for (let s = 0; s < weights.length; s++) {
    weights[s] = 1 + Math.floor(next() * 63);
    labels[s] = Math.floor(next() * 64);
  }
  router.invalidate();
  return router;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'chip-sim.events.route',
    run(): BenchRecord[] {
      const sink = new CountingSink();
      const router = denseRouter(sink);
      const next = random(5);
      const labels = Uint16Array.from({ length: EVENTS }, () => Math.floor(next() * 0x10000));
      let cycle = 0;
      const seconds = bestOf(REPEATS, () => {
        sink.calls = 0;
        for (let i = 0; i < EVENTS; i++) router.routeExternalEvent(labels[i]!, cycle++);
      });
      const perEvent = sink.calls / EVENTS;
      return [
        {
          name: 'chip-sim.events.route',
          value: Math.round(sink.calls / seconds),
          unit: 'synaptic events/s',
          inputs: {
            sourceEvents: EVENTS,
            sourceEventsPerSecond: Math.round(EVENTS / seconds),
            synapticEventsPerSourceEvent: +perEvent.toFixed(1),
            configuration: 'reset crossbar (FPGA event → 8 buses), 256 drivers full mask, random row modes, STP on half, 131072 synapses weights 1..63 labels random, correlation sensors on',
            ms: +(seconds * 1000).toFixed(1),
          },
        },
      ];
    },
  },
];
