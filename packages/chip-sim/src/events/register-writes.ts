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

const ACTIONS: WriteActionTable = {
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

/** Per container name the action code (1..255) a decoder reports for it; 0 and absent names: none. */
export type WriteActionTable = Partial<Record<OmnibusContainerName, number>>;

/**
 * Which unit an omnibus access touched, resolved through the memory map's interval table without
 * allocating: `decode(address)` returns the action of the container (from `actions`, by default the event
 * path's WriteAction table) and leaves the unit (the enum value of the container's coordinate) in `unit`.
 */
export class WriteDecoder {
  /** The coordinate enum of the unit of the last decoded write. */
  unit = 0;
  private readonly actionOf: Uint8Array;

  constructor(
    private readonly map: MemoryMap,
    actions: WriteActionTable = ACTIONS,
  ) {
    this.actionOf = new Uint8Array(map.containers.length);
    for (const [name, action] of Object.entries(actions) as [OmnibusContainerName, number][]) this.actionOf[map.container(name).id] = action;
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
