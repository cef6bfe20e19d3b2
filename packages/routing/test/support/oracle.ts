// An independent model of the event path (hardware.md §1.3, §2.5, §3.5–§3.7), driven only by the containers
// a RoutingResult writes (read back through encode → decode, as a chip would hold them), its backend patches,
// its input labels and its placement. It knows nothing of chunks, masks or label layouts.
import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CrossbarNodeOnDLS,
  SynapseDriverOnDLS,
  SynramOnDLS,
} from '@bss2/halco';
import {
  BackgroundSpikeSource,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CrossbarNode,
  SynapseDriverConfig,
  SynapseMatrix,
  type Container,
  type ContainerType,
} from '@bss2/lola';
import type { Network, RoutingResult } from '../../src/index.js';

const COLUMNS = 256;

/** A source as the network names it. */
export interface SourceId {
  readonly population: string;
  readonly index: number;
}

/** What the oracle saw. */
export interface EventPathTrace {
  /** `pre|post|compartment|receptor` → summed weight of the synapses the pre's events reach and whose current flows. */
  readonly weights: Map<string, number>;
  /** `hemisphere|row|column` → sources whose events reach that synapse (its label matches behind an accepting driver). */
  readonly synapseSources: Map<string, Set<string>>;
  /** Events at the FPGA links: the source that sent it and the 16-bit label as the FPGA receives it. */
  readonly recorded: { source: SourceId; label: number }[];
}

export function sourceKey(s: SourceId): string {
  return `${s.population}[${s.index}]`;
}

export function connectionKey(pre: SourceId, post: SourceId, compartment: number, receptor: number): string {
  return `${sourceKey(pre)}|${sourceKey(post)}|${compartment}|${receptor}`;
}

/** A container as a chip would return it: its words decoded by its own type. */
function readBack<C extends Container>(container: C): C {
  const type = container.containerType as ContainerType<C>;
  return type.decode(container.encode());
}

function rowModeReceptors(mode: string): number[] {
  if (mode === 'excitatory') return [0];
  if (mode === 'inhibitory') return [1];
  if (mode === 'excitatoryAndInhibitory') return [0, 1];
  return [];
}

export function traceEventPath(result: RoutingResult, network: Network): EventPathTrace {
  const nodes = new Map<number, CrossbarNode>();
  const padi = new Map<number, CommonPADIBusConfig>();
  const drivers = new Map<number, SynapseDriverConfig>();
  const quads = new Map<number, ColumnCurrentQuad>();
  const matrices = new Map<number, SynapseMatrix>();
  const generators = new Map<number, BackgroundSpikeSource>();
  for (const { coordinate, container } of result.writes()) {
    const c = readBack(container);
    if (coordinate instanceof CrossbarNodeOnDLS && c instanceof CrossbarNode) nodes.set(coordinate.value, c);
    else if (coordinate instanceof CommonPADIBusConfigOnDLS && c instanceof CommonPADIBusConfig) padi.set(coordinate.value, c);
    else if (coordinate instanceof SynapseDriverOnDLS && c instanceof SynapseDriverConfig) drivers.set(coordinate.value, c);
    else if (coordinate instanceof ColumnCurrentQuadOnDLS && c instanceof ColumnCurrentQuad) quads.set(coordinate.value, c);
    else if (coordinate instanceof SynramOnDLS && c instanceof SynapseMatrix) matrices.set(coordinate.value, c);
    else if (coordinate instanceof BackgroundSpikeSourceOnDLS && c instanceof BackgroundSpikeSource) generators.set(coordinate.value, c);
    else throw new Error(`unexpected write ${coordinate.toString()} ${c.containerType.typeName}`);
  }

  // Column current switches per (hemisphere, column): bit 0 excitatory, bit 1 inhibitory (reset: closed).
  const columnOpen = new Uint8Array(2 * COLUMNS);
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    const config = quads.get(quad.value) ?? new ColumnCurrentQuad();
    quad.toSynapseQuadColumnOnDLS().toNeuronColumnOnDLS().forEach((column, e) => {
      columnOpen[quad.toSynramOnDLS().value * COLUMNS + column.value] =
        (config.enableSynapticCurrentExcitatory[e] ? 1 : 0) | (config.enableSynapticCurrentInhibitory[e] ? 2 : 0);
    });
  }

  // Which neuron each circuit belongs to, from the placement alone.
  const owner = new Map<number, { id: SourceId; compartment: number }>();
  for (const p of network.populations) {
    if (p.kind !== 'neurons') continue;
    result.logicalNeurons(p.name).forEach((placed, index) =>
      placed.toAtomicNeurons().forEach((members, compartment) => {
        for (const n of members) owner.set(n.value, { id: { population: p.name, index }, compartment });
      }),
    );
  }

  const weights = new Map<string, number>();
  const synapseSources = new Map<string, Set<string>>();
  const recorded: { source: SourceId; label: number }[] = [];

  const onBus = (source: SourceId, bus: number, label: number) => {
    const h = bus >> 2;
    const local = bus & 3;
    if (!(padi.get(h) ?? new CommonPADIBusConfig()).enableSpl1[local]) return;
    const rowSelect = (label >> 6) & 31;
    const address = label & 63;
    for (let k = 0; k < 32; k++) {
      const d = 4 * k + local;
      const config = drivers.get(128 * h + d) ?? new SynapseDriverConfig();
      if (!config.acceptsEvent(rowSelect, k)) continue;
      const forwarded = config.enableAddressOut ? address : address & 0x20;
      const rows: [number, string][] = [[2 * d + 1, config.rowModeTop], [2 * d, config.rowModeBottom]];
      const matrix = matrices.get(h) ?? new SynapseMatrix();
      for (const [row, mode] of rows) {
        for (let column = 0; column < COLUMNS; column++) {
          if (matrix.labels[row * COLUMNS + column] !== forwarded) continue;
          const key = `${h}|${row}|${column}`;
          let set = synapseSources.get(key);
          if (set === undefined) synapseSources.set(key, (set = new Set()));
          set.add(sourceKey(source));
          const w = matrix.weights[row * COLUMNS + column]!;
          for (const receptor of rowModeReceptors(mode)) {
            if ((columnOpen[h * COLUMNS + column]! & (1 << receptor)) === 0) continue;
            const target = owner.get(h * COLUMNS + column);
            if (target === undefined) {
              if (w > 0) throw new Error(`${sourceKey(source)} drives unplaced circuit ${h * COLUMNS + column} with weight ${w}`);
              continue;
            }
            const ck = connectionKey(source, target.id, target.compartment, receptor);
            weights.set(ck, (weights.get(ck) ?? 0) + w);
          }
        }
      }
    }
  };

  const nodesOf = Array.from({ length: 20 }, (_, input) => [...CrossbarNodeOnDLS.all()].filter((n) => n.y.value === input));
  const event = (source: SourceId, input: number, label: number) => {
    for (const node of nodesOf[input]!) {
      const config = nodes.get(node.value) ?? new CrossbarNode();
      if (!config.forwards(label)) continue;
      const output = node.x.value;
      if (output < 8) onBus(source, output, label);
      else recorded.push({ source, label: ((output - 8) << 14) | label });
    }
  };

  // External sources: injected with their label at FPGA link input 8 + spl1 (§2.4).
  for (const p of network.populations) {
    if (p.kind !== 'external') continue;
    result.inputLabels(p.name).forEach((label, index) => {
      if (label !== undefined) event({ population: p.name, index }, 8 + (label.value >> 14), label.value & 0x3fff);
    });
  }
  // Neurons: every circuit with spike output sends `(column / 32) << 8 | address_out` into input column / 32.
  for (const patch of result.backendPatches()) {
    if (!patch.enSpikeOut) continue;
    const circuit = patch.neuron.value;
    const who = owner.get(circuit);
    if (who === undefined) throw new Error(`unplaced circuit ${new AtomicNeuronOnDLS(circuit).toString()} sends spikes`);
    const output = (circuit % COLUMNS) >> 5;
    event(who.id, output, (output << 8) | patch.addressOut);
  }
  // Background generators: every value of the random label bits is one source, index = those bits (§3.7).
  for (const [j, g] of generators) {
    if (!g.enable) continue;
    const population = network.populations.find((p) => p.kind === 'background' && result.backgroundBus(p.name) === j % 4);
    if (population === undefined) throw new Error(`generator ${j} runs without a background population on bus ${j % 4}`);
    const mask = g.enableRandom ? g.mask : 0;
    for (let v = 0; v <= mask; v++) {
      if ((v & ~mask) !== 0) continue;
      event({ population: population.name, index: v }, 12 + j, (g.neuronLabel & ~mask) | v);
    }
  }
  return { weights, synapseSources, recorded };
}

/** The connectivity a network asks for, in the oracle's keys (weights of equal keys add up). */
export function requestedWeights(network: Network): Map<string, number> {
  const out = new Map<string, number>();
  for (const projection of network.projections) {
    const receptor = projection.receptor === 'excitatory' ? 0 : 1;
    for (const c of projection.connections) {
      const key = connectionKey({ population: projection.pre, index: c.pre }, { population: projection.post, index: c.post }, projection.postCompartment ?? 0, receptor);
      out.set(key, (out.get(key) ?? 0) + c.weight);
    }
  }
  return out;
}

/** Drops zero entries: a synapse of weight 0 moves no charge, so only non-zero sums are observable. */
export function nonZero(map: Map<string, number>): Map<string, number> {
  return new Map([...map].filter(([, w]) => w !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
