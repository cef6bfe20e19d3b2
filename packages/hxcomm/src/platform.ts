// What the core needs from the platform beyond ES2022, declared structurally: the compilation has no DOM or
// Node types (architecture.md, "Platform neutrality"), yet Node and browsers provide all of these globals.

interface Platform {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string };
}

const platform = globalThis as unknown as Platform;
const encoder = new platform.TextEncoder();
const decoder = new platform.TextDecoder('utf-8');

/** Calls `callback` after `ms` milliseconds unless the returned function is called first. */
export function startTimer(ms: number, callback: () => void): () => void {
  const handle = platform.setTimeout(callback, ms);
  return () => platform.clearTimeout(handle);
}

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing invalid sequences (error text from a peer is shown, never trusted). */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
