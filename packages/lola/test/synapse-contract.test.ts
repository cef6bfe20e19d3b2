// The synapse-area leaf containers agree with halco's side of the address contract
// (notes/leaf-containers.md): coordinate type, word count and access of every container.
import { omnibusLayout } from '@bss2/halco';
import { expect, it } from 'vitest';
import {
  ColumnCorrelationQuad,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CommonSTPConfig,
  CommonSynramConfig,
  CorrelationReset,
  PADIEvent,
  SynapseBiasSelection,
  SynapseCorrelationCalibQuad,
  SynapseDriverConfig,
  SynapseLabelQuad,
  SynapseQuad,
  SynapseWeightQuad,
} from '../src/index.js';

const leaves = [
  SynapseQuad,
  SynapseWeightQuad,
  SynapseLabelQuad,
  SynapseCorrelationCalibQuad,
  CorrelationReset,
  ColumnCorrelationQuad,
  ColumnCurrentQuad,
  CommonSynramConfig,
  SynapseBiasSelection,
  SynapseDriverConfig,
  PADIEvent,
  CommonPADIBusConfig,
  CommonSTPConfig,
];

it.each(leaves.map((type) => [type.typeName, type] as const))('%s matches halco omnibusLayout', (name, type) => {
  const layout = omnibusLayout[name as keyof typeof omnibusLayout];
  const access = `${type.readable ? 'r' : ''}${type.writable ? 'w' : ''}`;
  expect({ coordinate: type.coordinateType, wordCount: type.wordCount, access }).toEqual({
    coordinate: layout.coordinate,
    wordCount: layout.wordCount,
    access: layout.access,
  });
});
