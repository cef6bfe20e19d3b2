import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  FieldRangeError,
  ResponseCollector,
  ResponseDecoder,
  ResponseStreamWriter,
  decodeResponses,
  encodeResponses,
  type Response,
} from '../src/index.js';
import { RUNS, anyResponse, assertSame, assertSameBytes, canonical, responseArbitraries, responseOrPad, thrown, writeTyped } from './helpers.js';

interface Written {
  readonly bytes: Uint8Array;
  readonly responses: Response[];
  /** `[start, end)` byte range of each message. */
  readonly spans: [number, number][];
}

/** Writes a stream with the typed methods, recording where each message sits. */
function write(items: readonly (Response | 'pad')[]): Written {
  const writer = new ResponseStreamWriter(8);
  const responses: Response[] = [];
  const spans: [number, number][] = [];
  for (const item of items) {
    if (item === 'pad') {
      writer.pad();
      continue;
    }
    const start = writer.byteLength;
    writeTyped(writer, item);
    spans.push([start, writer.byteLength]);
    responses.push(item);
  }
  return { bytes: writer.toBytes(), responses, spans };
}

/** Decodes in the given chunk sizes; a DecodeError is returned, anything else thrown. */
function decodeChunked(bytes: Uint8Array, sizes: readonly number[]): Response[] | DecodeError {
  const decoder = new ResponseDecoder(new ResponseCollector());
  let at = 0;
  const error = thrown(() => {
    for (let i = 0; at < bytes.length; i++) {
      const size = sizes.length === 0 ? bytes.length : sizes[i % sizes.length]!;
      decoder.push(bytes.subarray(at, at + size));
      at += size;
    }
    decoder.finish();
  });
  if (error === undefined) return decoder.visitor.responses;
  if (error instanceof DecodeError) return error;
  throw error;
}

/** Decodes; on success the responses must survive re-encoding. Never anything but a DecodeError. */
function decodeOrDecodeError(bytes: Uint8Array): void {
  const result = decodeChunked(bytes, []);
  if (!(result instanceof DecodeError)) assertSame(decodeResponses(encodeResponses(result)), result, 're-decoded');
}

describe('response round trip', () => {
  it.each(Object.entries(responseArbitraries))('decode(encode(x)) equals x for %s', (_kind, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (response) => {
        const bytes = encodeResponses([response]);
        expect(bytes.length % 8).toBe(0);
        expect(bytes[0]! & 0x80).toBe(0);
        assertSame(decodeResponses(bytes), [response]);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('typed writer and object writer agree; chunked decoding equals whole decoding', () => {
    const chunks = fc.array(fc.integer({ min: 1, max: 23 }), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(responseOrPad, { maxLength: 30 }), chunks, (items, sizes) => {
        const { bytes, responses } = write(items);
        const generic = new ResponseStreamWriter(8);
        for (const item of items) {
          if (item === 'pad') generic.pad();
          else generic.write(item);
        }
        assertSameBytes(generic.toBytes(), bytes, 'object-form encoding');
        assertSame(decodeChunked(bytes, sizes), responses, 'chunked decoding');
      }),
      RUNS,
    );
  });
});

describe('response decoder on arbitrary input', () => {
  it('gives responses or a DecodeError for random bytes, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), decodeOrDecodeError), RUNS);
  });

  it('gives responses or a DecodeError for random bytes biased towards valid headers and commas', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 14 }), fc.constantFrom(0x80, 0xff), fc.integer({ min: 0, max: 255 }));
    fc.assert(fc.property(fc.array(byte, { maxLength: 120 }), (b) => decodeOrDecodeError(Uint8Array.from(b))), RUNS);
  });

  it('gives the same result, error offset included, whatever the chunking', () => {
    const mutation = fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) });
    const chunks = fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(responseOrPad, { minLength: 1, maxLength: 20 }), fc.array(mutation, { maxLength: 3 }), chunks, (items, flips, sizes) => {
        const { bytes } = write(items);
        for (const { at, bit } of flips) bytes[at % bytes.length]! ^= 1 << bit;
        const whole = decodeChunked(bytes, []);
        const chunked = decodeChunked(bytes, sizes);
        if (whole instanceof DecodeError) {
          if (!(chunked instanceof DecodeError && chunked.offset === whole.offset && chunked.expected === whole.expected)) {
            throw new Error(`chunked: ${String(chunked)}, whole: ${whole.message}`);
          }
        } else {
          assertSame(chunked, whole, 'chunked decoding');
        }
        decodeOrDecodeError(bytes);
      }),
      RUNS,
    );
  });

  it('decodes every truncation to the messages before the cut, or refuses it', () => {
    fc.assert(
      fc.property(fc.array(responseOrPad, { minLength: 1, maxLength: 10 }), (items) => {
        const { bytes, responses, spans } = write(items);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const result = decodeChunked(bytes.subarray(0, cut), []);
          const inside = spans.findIndex(([start, end]) => start < cut && cut < end);
          if (cut % 8 === 0 && inside === -1) {
            const whole = spans.filter(([, end]) => end <= cut).length;
            if (result instanceof DecodeError || canonical(result) !== canonical(responses.slice(0, whole))) throw new Error(`cut at ${cut}: ${String(result)}`);
          } else {
            const offset = inside === -1 ? cut - (cut % 8) : spans[inside]![0];
            if (!(result instanceof DecodeError && result.offset === offset)) throw new Error(`cut at ${cut}: ${String(result)}`);
          }
        }
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

function badInteger(max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer({ min: 1, max: 1000 }).map((d) => -d),
    fc.integer({ min: 1, max: 1000 }).map((d) => max + d),
    fc.constantFrom(0.5, Number.NaN, Infinity, '1', null, true, undefined),
  );
}

const spikes = (n: number) => Array.from({ length: n }, () => ({ label: 1, timestamp: 1 }));
const samples = (n: number) => Array.from({ length: n }, () => ({ value: 1, channel: 1, timestamp: 1 }));

/** Every field of every response: a valid response, the field's path and its largest value. */
const fieldCases: [Response, (string | number)[], number][] = [
  [{ kind: 'JtagData', value: 1 }, ['value'], 2 ** 33 - 1],
  [{ kind: 'OmnibusData', value: 1 }, ['value'], 2 ** 32 - 1],
  [{ kind: 'Loopback', value: 1 }, ['value'], 1],
  [{ kind: 'HighspeedLinkNotification', value: 1 }, ['value'], 255],
  [{ kind: 'TimeoutNotification', value: 1, traceStallCount: 1, omnibusReadsInFlight: 1 }, ['value'], 2 ** 32 - 1],
  [{ kind: 'TimeoutNotification', value: 1, traceStallCount: 1, omnibusReadsInFlight: 1 }, ['traceStallCount'], 127],
  [{ kind: 'TimeoutNotification', value: 1, traceStallCount: 1, omnibusReadsInFlight: 1 }, ['omnibusReadsInFlight'], 63],
  [{ kind: 'Systime', value: 1 }, ['value'], 2 ** 43 - 1],
  [{ kind: 'Sysdelta', value: 1 }, ['value'], 255],
  ...[1, 2, 3].flatMap((n) =>
    Array.from({ length: n }).flatMap((_, i): [Response, (string | number)[], number][] => [
      [{ kind: `MADCSamplePack${n}`, samples: samples(n) } as unknown as Response, ['samples', i, 'value'], 1023],
      [{ kind: `MADCSamplePack${n}`, samples: samples(n) } as unknown as Response, ['samples', i, 'channel'], 1],
      [{ kind: `MADCSamplePack${n}`, samples: samples(n) } as unknown as Response, ['samples', i, 'timestamp'], 255],
      [{ kind: `SpikePack${n}`, spikes: spikes(n) } as unknown as Response, ['spikes', i, 'label'], 65535],
      [{ kind: `SpikePack${n}`, spikes: spikes(n) } as unknown as Response, ['spikes', i, 'timestamp'], 255],
    ]),
  ),
];

function withField(response: Response, path: (string | number)[], value: unknown): Response {
  const copy = structuredClone(response) as unknown as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy as unknown as Response;
}

function fieldName(kind: string, path: (string | number)[]): string {
  return `${kind}.${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}`;
}

describe('response field ranges', () => {
  it.each(fieldCases.map(([r, p, max]) => [fieldName(r.kind, p), r, p, max] as const))(
    '%s out of range is refused by the typed writer and by write, naming the field',
    (name, response, path, max) => {
      fc.assert(
        fc.property(badInteger(max), (value) => {
          const broken = withField(response, path, value);
          for (const put of [(w: ResponseStreamWriter) => writeTyped(w, broken), (w: ResponseStreamWriter) => w.write(broken)]) {
            const writer = new ResponseStreamWriter();
            const error = thrown(() => put(writer));
            expect(error).toBeInstanceOf(FieldRangeError);
            expect((error as FieldRangeError).field).toBe(name);
            expect(writer.byteLength).toBe(0);
          }
        }),
        { numRuns: 30, seed: 42 },
      );
      expect(() => encodeResponses([withField(response, path, max)])).not.toThrow();
    },
  );
});

it('anyResponse covers every kind', () => {
  const kinds = new Set(fc.sample(anyResponse, { numRuns: 500, seed: 42 }).map((r) => r.kind));
  expect(kinds.size).toBe(Object.keys(responseArbitraries).length);
});
