// Messages between a ChipWorker and its experiment thread.

export interface ThreadRequest {
  /** The experiment file's JSON. */
  readonly experiment: unknown;
  readonly source: string;
  /** The worker's chip seed, overriding setup.chipSeed; undefined: the file's. */
  readonly chipSeed: number | undefined;
}

export type ThreadReply = { readonly ok: true; readonly results: string } | { readonly ok: false; readonly name: string; readonly message: string };
