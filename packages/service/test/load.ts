import type { Service } from '../src/node/index.js';
import { connectAs, jainIndex, readValues, writeReadProgram } from './service-harness.js';

export interface LoadResult {
  readonly programs: number;
  readonly lost: number;
  readonly wrong: number;
  /** Jain's index over per-user completions counted when the first user finished (all users active until then). */
  readonly fairness: number;
  readonly elapsed_ms: number;
  readonly completedAtFirstFinish: readonly number[];
}

/**
 * `users` clients, each writing and reading back `programsPerUser` distinct values (user·10⁶ + i) with
 * `window` programs in flight. Counts lost answers (never resolved) and wrong read-backs.
 */
export async function runLoad(service: Service, users: number, programsPerUser: number, window = 4): Promise<LoadResult> {
  const clients = await Promise.all(Array.from({ length: users }, (_, u) => connectAs(service, `user${u}`)));
  const completed = new Array<number>(users).fill(0);
  let wrong = 0;
  let snapshot: number[] | undefined;
  const start = performance.now();
  await Promise.all(
    clients.map(async (client, u) => {
      let next = 0;
      const lane = async () => {
        while (next < programsPerUser) {
          const value = u * 1_000_000 + next++;
          const values = readValues(await client.execute(writeReadProgram(value)));
          if (values.length !== 1 || values[0] !== value) wrong++;
          completed[u]!++;
        }
      };
      await Promise.all(Array.from({ length: window }, lane));
      snapshot ??= [...completed];
    }),
  );
  const elapsed_ms = performance.now() - start;
  await Promise.all(clients.map((c) => c.close()));
  const programs = completed.reduce((s, n) => s + n, 0);
  return { programs, lost: users * programsPerUser - programs, wrong, fairness: jainIndex(snapshot!), elapsed_ms, completedAtFirstFinish: snapshot! };
}
