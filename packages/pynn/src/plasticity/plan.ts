// From the simulator's plastic projections to the execution graph's rules, and the results back: each rule's
// kernel gets the synapse rows its projections occupy (one kernel instance per contiguous run of rows), rows
// shared with another projection are refused (a kernel changes whole rows), and after a run the learned weights
// go back to the projections and the observables to the rules. A cell's rule (`plasticity_rule` of a neuron
// type) gets the placed neurons of the populations carrying it.
import type { PlasticityResult, PlasticityRuleSpec } from '@bss2/execution';
import type { RowRange } from '@bss2/ppu';
import type { RoutingResult } from '@bss2/routing';
import type { RoutedPart } from '../network.js';
import type { Population } from '../populations.js';
import type { Projection } from '../projection.js';
import { currentSimulator } from '../simulator-registry.js';
import { PlasticityError } from './errors.js';
import type { PlacedNeuron } from './neurons.js';
import type { KernelPlacement, PlasticityRule } from './rule.js';
import { type SynapseSite, ruleOf, setNeuronSites, setSites } from './sites.js';
import { PlasticSynapse } from './synapses.js';

interface Instance {
  readonly rule: PlasticityRule;
  readonly rows: RowRange | undefined;
  readonly name: string;
}

/** A cell rule's placement: its neurons; no synapse rows. */
function cellPlacement(rule: PlasticityRule, neurons: readonly PlacedNeuron[]): KernelPlacement {
  return {
    get rows(): RowRange {
      throw new PlasticityError(`plasticity rule ${rule.label} is a cell's plasticity_rule: its kernel gets the population's neurons (placement.neurons), no synapse rows; attach a rule acting on synapses to a projection (PlasticSynapse)`, { parameter: 'rows' });
    },
    neurons,
  };
}

export class PlasticityPlan {
  readonly #parts: readonly RoutedPart[];
  readonly #rules: Map<PlasticityRule, RoutedPart[]>;
  readonly #cellRules = new Map<PlasticityRule, Population[]>();
  #instances: Instance[] = [];

  /** `populations`: those whose cells may carry a rule (default: the current simulator's). */
  constructor(parts: readonly RoutedPart[], populations: readonly Population[] = currentSimulator('run()').populations) {
    this.#parts = parts;
    this.#rules = new Map();
    for (const part of parts) {
      const rule = ruleOf(part.projection);
      if (rule === undefined) continue;
      const list = this.#rules.get(rule) ?? [];
      list.push(part);
      this.#rules.set(rule, list);
    }
    for (const population of populations) {
      const rule = population.cellType.plasticityRule;
      if (rule === undefined) continue;
      if (this.#rules.has(rule)) {
        throw new PlasticityError(`plasticity rule ${rule.label} is the plasticity_rule of population '${population.label}' and the rule of projection '${this.#rules.get(rule)![0]!.projection.label}': a rule acts on cells or on synapses, give each its own`, { population: population.label, parameter: 'plasticity_rule' });
      }
      const list = this.#cellRules.get(rule) ?? [];
      list.push(population);
      this.#cellRules.set(rule, list);
    }
  }

  get empty(): boolean {
    return this.#rules.size === 0 && this.#cellRules.size === 0;
  }

  /** The graph's rules for `routing`. */
  specs(routing: RoutingResult): PlasticityRuleSpec[] {
    const rowsOfPart = new Map<RoutedPart, Set<number>>();
    const sites = new Map<Projection, (readonly SynapseSite[])[]>();
    for (const part of this.#parts) {
      const rows = new Set<number>();
      const placed = routing.placedConnections(part.name);
      const perConnection = sites.get(part.projection) ?? new Array<readonly SynapseSite[]>(part.projection.size()).fill([]);
      placed.forEach((c, r) => {
        const list = c.synapses.map((s) => ({ hemisphere: s.hemisphere.value, row: s.row.value, column: s.column.value }));
        for (const s of list) rows.add(s.row);
        for (const k of part.sourcesOf(r)) perConnection[k] = list;
      });
      sites.set(part.projection, perConnection);
      rowsOfPart.set(part, rows);
    }
    for (const [projection, list] of sites) setSites(projection, list);
    const specs: PlasticityRuleSpec[] = [];
    this.#instances = [];
    for (const [rule, parts] of this.#rules) {
      const rows = new Set<number>();
      for (const part of parts) for (const r of rowsOfPart.get(part)!) rows.add(r);
      for (const [other, otherRows] of rowsOfPart) {
        if (parts.includes(other)) continue;
        const shared = [...otherRows].find((r) => rows.has(r));
        if (shared !== undefined) {
          const mine = parts.map((p) => `'${p.projection.label}'`).join(', ');
          throw new PlasticityError(
            `projection ${mine} with a plasticity rule shares synapse row ${shared} with projection '${other.projection.label}': a kernel changes whole rows (of both hemispheres), so plastic projections need rows of their own — give the other projection other sources or targets, or the same rule`,
            { projection: other.projection.label, parameter: 'row', value: shared },
          );
        }
      }
      const sorted = [...rows].sort((a, b) => a - b);
      const ranges: RowRange[] = [];
      for (const r of sorted) {
        const last = ranges[ranges.length - 1];
        if (last !== undefined && last.to === r - 1) ranges[ranges.length - 1] = { from: last.from, to: r };
        else ranges.push({ from: r, to: r });
      }
      const names = parts.map((p) => p.name);
      // The projections' post neurons where their synapses sit (index: the post index of the connection).
      const seen = new Set<string>();
      const postNeurons: PlacedNeuron[] = [];
      for (const part of parts) {
        for (const c of routing.placedConnections(part.name)) {
          for (const s of c.synapses) {
            const key = `${part.post.label}:${c.post}`;
            if (seen.has(key)) continue;
            seen.add(key);
            postNeurons.push({ population: part.post.label, index: c.post, hemisphere: s.hemisphere.value, column: s.column.value });
          }
        }
      }
      ranges.forEach((range, i) => {
        const name = ranges.length === 1 ? rule.label : `${rule.label}_${i}`;
        this.#instances.push({ rule, rows: range, name });
        specs.push({
          name,
          kernel: rule.kernelFor({ rows: range, neurons: postNeurons }),
          timer: rule.timer.toChip(),
          params: rule.params,
          ...(rule.sameId === undefined ? {} : { sameId: `${rule.sameId}:${range.from}-${range.to}` }),
          projections: names,
          ...(rule.observables === undefined ? {} : { observe: rule.observables }),
        });
      });
    }
    for (const [rule, populations] of this.#cellRules) {
      const neurons = populations.flatMap((population) => {
        const placed = routing.logicalNeurons(population.label).map((logical, index): PlacedNeuron => {
          const anchor = logical.anchor;
          return { population: population.label, index, hemisphere: anchor.toHemisphereOnDLS().value, column: anchor.toNeuronColumnOnDLS().value };
        });
        setNeuronSites(population, placed);
        return placed;
      });
      const name = rule.label;
      this.#instances.push({ rule, rows: undefined, name });
      specs.push({
        name,
        kernel: rule.kernelFor(cellPlacement(rule, neurons)),
        timer: rule.timer.toChip(),
        params: rule.params,
        ...(rule.sameId === undefined ? {} : { sameId: `${rule.sameId}:cells` }),
        ...(rule.observables === undefined ? {} : { observe: rule.observables }),
      });
    }
    return specs;
  }

  /** A run's plasticity results: observables to the rules, learned weights to the plastic projections. */
  store(result: PlasticityResult | undefined): void {
    if (result === undefined) return;
    for (const instance of this.#instances) instance.rule.record(instance.rows, result.rules.get(instance.name) ?? []);
    const learned = new Map<Projection, Map<number, number>>();
    for (const part of this.#parts) {
      if (!(part.projection.synapse instanceof PlasticSynapse)) continue;
      const weights = result.weights.get(part.name);
      if (weights === undefined) continue;
      const map = learned.get(part.projection) ?? new Map<number, number>();
      const sign = part.projection.receptorType === 'inhibitory' ? -1 : 1;
      weights.forEach((w, r) => {
        const sources = part.sourcesOf(r);
        // A repeated pair's connections share what their synapses hold, in their given proportions.
        const given = sources.map((k) => Math.abs(part.projection.connections[k]!.weight));
        const total = given.reduce((a, b) => a + b, 0);
        sources.forEach((k, j) => map.set(k, sign * (sources.length === 1 ? w : total > 0 ? (w * given[j]!) / total : w / sources.length)));
      });
      learned.set(part.projection, map);
    }
    for (const [projection, map] of learned) projection.adoptLearnedWeights(map);
  }
}
