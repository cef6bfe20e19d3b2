// Pins the word encoding of every container of the synapse area (hardware.md §3.5, §3.6) at real addresses.
// Regenerate on purpose with `npx vitest run -u test/synapse-golden.test.ts`.
import {
  ColumnCorrelationQuadOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CommonSTPConfigOnDLS,
  CommonSynramConfigOnDLS,
  type Coordinate,
  PADIEventOnDLS,
  SynapseBiasSelectionOnDLS,
  SynapseBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseQuadOnDLS,
  SynapseRowOnDLS,
  SynramOnDLS,
} from '@bss2/halco';
import { expect, it } from 'vitest';
import {
  ColumnCorrelationQuad,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CommonSTPConfig,
  CommonSynramConfig,
  type Container,
  CorrelationReset,
  PADIEvent,
  SynapseBiasSelection,
  SynapseBlock,
  SynapseCorrelationCalibQuad,
  SynapseDriverConfig,
  SynapseLabelQuad,
  SynapseMatrix,
  SynapseQuad,
  SynapseRow,
  SynapseWeightMatrix,
  SynapseWeightQuad,
} from '../src/index.js';
import { goldenLines } from './synapse-leaf-properties.js';

const quad = new SynapseQuadOnDLS(16384 + 64 * 5 + 33);

function sample(container: Container, coord: Coordinate, skipZero = false): string[] {
  const type = container.containerType as unknown as { addresses(c: Coordinate): readonly number[] };
  return goldenLines(container, coord, type.addresses(coord), { skipZero });
}

function sparseMatrix(): SynapseMatrix {
  const matrix = new SynapseMatrix();
  for (const [row, column, weight, label, timeCalib, ampCalib] of [
    [0, 0, 63, 1, 0, 0],
    [5, 9, 0x2a, 0x11, 3, 1],
    [128, 200, 7, 63, 2, 2],
    [255, 255, 1, 0, 1, 3],
  ] as const) {
    const i = 256 * row + column;
    matrix.weights[i] = weight;
    matrix.labels[i] = label;
    matrix.timeCalibs[i] = timeCalib;
    matrix.ampCalibs[i] = ampCalib;
  }
  return matrix;
}

it('synapse-area golden words', async () => {
  const row = new SynapseRow();
  for (const column of [0, 1, 2, 7, 8, 9, 254, 255]) {
    row.weights[column] = column % 64;
    row.labels[column] = 63 - (column % 64);
    row.timeCalibs[column] = column % 4;
    row.ampCalibs[column] = (column >> 1) % 4;
  }
  const matrix = sparseMatrix();
  const lines = [
    '# Golden word encodings of the lola synapse area (SynapseQuad … CommonSTPConfig); one sample per container.',
    '# Regenerate on purpose: cd packages/lola && npx vitest run -u test/synapse-golden.test.ts',
    ...sample(new SynapseQuad({ weights: [0x2a, 1, 2, 63], labels: [0x11, 4, 5, 0], timeCalibs: [3, 0, 1, 2], ampCalibs: [1, 2, 3, 0] }), quad),
    ...sample(new SynapseWeightQuad({ weights: [63, 1, 0, 2] }), quad),
    ...sample(new SynapseLabelQuad({ labels: [1, 2, 3, 63] }), quad),
    ...sample(new SynapseCorrelationCalibQuad({ timeCalibs: [3, 2, 1, 0], ampCalibs: [0, 1, 2, 3] }), quad),
    ...sample(new CorrelationReset(), quad),
    ...sample(
      new ColumnCorrelationQuad({
        enableInternalCausal: [true, false, true, false],
        enableInternalAcausal: [false, true, false, true],
        enableDebugCausal: [false, false, true, false],
        enableCadcNeuronReadoutAcausal: [true, false, false, false],
      }),
      new ColumnCorrelationQuadOnDLS(97),
    ),
    ...sample(
      new ColumnCurrentQuad({
        enableSynapticCurrentExcitatory: [true, true, true, true],
        enableSynapticCurrentInhibitory: [true, false, true, false],
        enableDebugInhibitory: [false, false, false, true],
      }),
      new ColumnCurrentQuadOnDLS(33),
    ),
    ...sample(new CommonSynramConfig({ pcConfWest: 15, pcConfEast: 1, wConfWest: 255, wConfEast: 16, waitCtrClear: 7 }), new CommonSynramConfigOnDLS(1)),
    ...sample(new SynapseBiasSelection({ enableInternalDacBias: [false, true, true, true], enableInternalStoreBias: [true, true, false, true] }), new SynapseBiasSelectionOnDLS(0)),
    ...sample(
      new SynapseDriverConfig({
        enableReceiver: true,
        rowAddressCompareMask: 0b11100,
        enableAddressOut: false,
        utilization: 9,
        recovery: 3,
        offset: 12,
        rowModeTop: 'excitatory',
        rowModeBottom: 'inhibitory',
        hagenDacOffset: 33,
        selectTargetVoltages: 1,
        enableHagenDac: true,
        enableHagenModulation: true,
        enableStp: true,
        enableRecovery: true,
        enableReadout: false,
        enableRenewing: true,
        enableChargeSharing: false,
      }),
      new SynapseDriverOnDLS(133),
    ),
    ...sample(new PADIEvent({ fireBus: [false, true, false, true], eventAddress: 0x2a, rowSelectAddress: 19 }), new PADIEventOnDLS(1)),
    ...sample(
      new CommonPADIBusConfig({ enableSpl1: [true, true, false, false], enableExtendedTiming: [false, true, false, true], dacenPulseExtension: [0, 5, 10, 15] }),
      new CommonPADIBusConfigOnDLS(0),
    ),
    ...sample(new CommonSTPConfig({ enableRecoveryClock: true, recoveryClockSpeed: 11 }), new CommonSTPConfigOnDLS(1)),
    ...sample(row, new SynapseRowOnDLS(256 + 5), true),
    ...sample(matrix, SynramOnDLS.bottom, true),
    ...sample(new SynapseWeightMatrix({ weights: matrix.weights }), SynramOnDLS.top, true),
    ...sample(new SynapseBlock({ matrix, iBiasDac: [1022, 'disableRefresh'] }), SynapseBlockOnDLS.bottom, true),
  ];
  await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('../../../test-fixtures/lola/synapse.golden.txt');
});
