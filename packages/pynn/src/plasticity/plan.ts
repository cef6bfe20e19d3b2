// From the simulator's plastic projections to the execution graph's rules, and the results back: each rule's
// kernel gets the synapse rows its projections occupy (one kernel instance per contiguous run of rows), rows
// shared with another projection are refused (a kernel changes whole rows), and after a run the learned weights
// go back to the projections and the observables to the rules.
import type { PlasticityResult, PlasticityRuleSpec } from '@bss2/execution';
import type { RowRange } from '@bss2/ppu';
import type { RoutingResult } from '@bss2/routing';
import type { RoutedPart } from '../network.js';
import type { Projection } from '../projection.js';
import { PlasticityError } from './errors.js';
import type { PlasticityRule } from './rule.js';
import { type SynapseSite, ruleOf, setSites } from './sites.js';
import { PlasticSynapse } from './synapses.js';

interface Instance {
  readonly rule: PlasticityRule;
  readonly rows: RowRange;
  readonly name: string;
}

export class PlasticityPlan {
  readonly #parts: readonly RoutedPart[];
  readonly #rules: Map<PlasticityRule, RoutedPart[]>;
  #instances: Instance[] = [];

  constructor(parts: readonly RoutedPart[]) {
    this.#parts = parts;
    this.#rules = new Map();
    for (const part of parts) {
      const rule = ruleOf(part.projection);
      if (rule === undefined) continue;
      const list = this.#rules.get(rule) ?? [];
      list.push(part);
      this.#rules.set(rule, list);
    }
  }

  get empty(): boolean {
    return this.#rules.size === 0;
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
      ranges.forEach((range, i) => {
        const name = ranges.length === 1 ? rule.label : `${rule.label}_${i}`;
        this.#instances.push({ rule, rows: range, name });
        specs.push({
          name,
          kernel: rule.kernelFor({ rows: range }),
          timer: rule.timer.toChip(),
          params: rule.params,
          ...(rule.sameId === undefined ? {} : { sameId: `${rule.sameId}:${range.from}-${range.to}` }),
          projections: names,
          ...(rule.observables === undefined ? {} : { observe: rule.observables }),
        });
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
