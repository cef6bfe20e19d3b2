import type { OmnibusContainerName } from '@bss2/halco';
import { type MemoryMap, Storage } from '../memory-map.js';

/** What a write to a container does to the event path besides being stored. */
export const WriteAction = {
  none: 0,
  crossbar: 1,
  busConfig: 2,
  stpConfig: 3,
  driver: 4,
  columnQuad: 5,
  backend: 6,
  backendCommon: 7,
  recording: 8,
  synapses: 9,
  generator: 10,
  padiEvent: 11,
  correlationReset: 12,
  neuronResetQuad: 13,
  spikeCounterReset: 14,
  blockPostPulse: 15,
} as const;

const ACTIONS: Partial<Record<OmnibusContainerName, number>> = {
  CrossbarNode: WriteAction.crossbar,
  CrossbarOutputConfig: WriteAction.crossbar,
  CommonPADIBusConfig: WriteAction.busConfig,
  CommonSTPConfig: WriteAction.stpConfig,
  SynapseDriverConfig: WriteAction.driver,
  ColumnCurrentQuad: WriteAction.columnQuad,
  NeuronBackendConfig: WriteAction.backend,
  CommonNeuronBackendConfig: WriteAction.backendCommon,
  EventRecordingConfig: WriteAction.recording,
  SynapseQuad: WriteAction.synapses,
  SynapseWeightQuad: WriteAction.synapses,
  SynapseLabelQuad: WriteAction.synapses,
  BackgroundSpikeSource: WriteAction.generator,
  PADIEvent: WriteAction.padiEvent,
  CorrelationReset: WriteAction.correlationReset,
  NeuronResetQuad: WriteAction.neuronResetQuad,
  SpikeCounterReset: WriteAction.spikeCounterReset,
  BlockPostPulse: WriteAction.blockPostPulse,
};

/**
 * Which unit an omnibus write touched, resolved through the memory map's interval table without
 * allocating: `decode(address)` returns the WriteAction of the container and leaves the written unit
 * (the enum value of the container's coordinate) in `unit`.
 */
export class WriteDecoder {
  /** The coordinate enum of the unit of the last decoded write. */
  unit = 0;
  private readonly actionOf: Uint8Array;

  constructor(private readonly map: MemoryMap) {
    this.actionOf = new Uint8Array(map.containers.length);
    for (const [name, action] of Object.entries(ACTIONS) as [OmnibusContainerName, number][]) this.actionOf[map.container(name).id] = action;
  }

  decode(address: number): number {
    const map = this.map;
    const a = address >>> 0;
    const interval = map.find(a);
    if (interval < 0) return WriteAction.none;
    const id = map.intervalContainer[interval]!;
    const action = this.actionOf[id]!;
    if (action === WriteAction.none) return action;
    const container = map.containers[id]!;
    let slot = map.intervalSlotBase[interval]! + (a - map.intervalBase[interval]!) * map.intervalSlotStep[interval]!;
    if (container.storage === Storage.register) slot -= container.offset;
    this.unit = Math.floor(slot / container.wordCount);
    return action;
  }
}
