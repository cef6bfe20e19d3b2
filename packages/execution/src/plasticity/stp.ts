// Short-term plasticity on the synapse drivers (hardware.md §3.6, §8.2): the drivers of a projection's rows get
// STP on with its utilization and recovery, the block's recovery clock runs at the graph's speed. STP state is
// per driver, so each such driver must carry the events of one source only.
import { CommonSTPConfigOnDLS, SynapseDriverBlockOnDLS, SynapseDriverOnDLS, SynapseDriverOnSynapseDriverBlock } from '@bss2/halco';
import { CommonSTPConfig, SynapseDriverConfig } from '@bss2/lola';
import type { ConfigWrite, RoutingResult } from '@bss2/routing';
import { PlasticityRuleError } from './rules.js';

/** STP of one projection: `utilization` U·15 and `recovery` 0..15 (τ_rec = (recovery + 1) · 2 µs · 2^(7 − speed)). */
export interface ShortTermPlasticitySpec {
  readonly projection: string;
  readonly utilization: number;
  readonly recovery: number;
}

/** The STP settings of a graph: per projection, and the recovery clock speed of both blocks (0..15). */
export interface ShortTermPlasticity {
  readonly projections: readonly ShortTermPlasticitySpec[];
  readonly recoveryClockSpeed: number;
}

const NIBBLE_MAX = 15;

/** The event-path writes with STP applied: the projections' drivers patched, the blocks' STP configs added. */
export function withShortTermPlasticity(writes: ConfigWrite[], stp: ShortTermPlasticity | undefined, routing: RoutingResult): ConfigWrite[] {
  if (stp === undefined || stp.projections.length === 0) return writes;
  const fail = (what: string, value: unknown, rule: string, projection?: string): never => {
    throw new PlasticityRuleError(`short-term plasticity${projection === undefined ? '' : ` of projection '${projection}'`}: ${what} ${JSON.stringify(value)}: ${rule}`, projection, { parameter: what, value });
  };
  const speed = stp.recoveryClockSpeed;
  if (!Number.isInteger(speed) || speed < 0 || speed > NIBBLE_MAX) fail('recoveryClockSpeed', speed, `an integer 0..${NIBBLE_MAX}`);
  // Per driver (its coordinate's string): the sources whose events it carries.
  const sources = new Map<string, Set<string>>();
  const driverOf = (hemisphere: number, row: number) => new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(row >> 1), new SynapseDriverBlockOnDLS(hemisphere));
  for (const projection of routing.network.projections) {
    routing.placedConnections(projection.name).forEach((c, k) => {
      const pre = `${projection.pre}[${projection.connections[k]!.pre}]`;
      for (const s of c.synapses) {
        const key = driverOf(s.hemisphere.value, s.row.value).toString();
        const set = sources.get(key) ?? new Set<string>();
        set.add(pre);
        sources.set(key, set);
      }
    });
  }
  const patches = new Map<string, { utilization: number; recovery: number }>();
  for (const spec of stp.projections) {
    const { projection, utilization, recovery } = spec;
    if (!routing.network.projections.some((p) => p.name === projection)) fail('projection', projection, 'a projection of the graph');
    if (!Number.isInteger(utilization) || utilization < 0 || utilization > NIBBLE_MAX) fail('utilization', utilization, `an integer 0..${NIBBLE_MAX} (U · 15)`, projection);
    if (!Number.isInteger(recovery) || recovery < 0 || recovery > NIBBLE_MAX) fail('recovery', recovery, `an integer 0..${NIBBLE_MAX}`, projection);
    for (const c of routing.placedConnections(projection)) {
      for (const s of c.synapses) {
        const key = driverOf(s.hemisphere.value, s.row.value).toString();
        const carried = sources.get(key)!;
        if (carried.size > 1) {
          fail('driver', key, `STP state is per synapse driver, but routing put ${carried.size} sources on it (${[...carried].slice(0, 4).join(', ')}${carried.size > 4 ? ', …' : ''}): give each STP source its own driver (fewer sources per projection, or one projection per source)`, projection);
        }
        const held = patches.get(key);
        if (held !== undefined && (held.utilization !== utilization || held.recovery !== recovery)) fail('driver', key, 'two projections with different STP settings share it', projection);
        patches.set(key, { utilization, recovery });
      }
    }
  }
  const out = writes.map((w) => {
    if (!(w.container instanceof SynapseDriverConfig)) return w;
    const patch = patches.get(w.coordinate.toString());
    return patch === undefined ? w : { coordinate: w.coordinate, container: w.container.with({ enableStp: true, enableRecovery: true, ...patch }) };
  });
  for (const block of CommonSTPConfigOnDLS.all()) out.push({ coordinate: block, container: new CommonSTPConfig({ enableRecoveryClock: true, recoveryClockSpeed: speed }) });
  return out;
}
