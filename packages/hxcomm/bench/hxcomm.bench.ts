// Round-trip time and throughput of the TCP transport over loopback (style.md, "Tests and benchmarks").
// The served chip runs in this process, so the figures include the simulator; the throughput benchmark
// measures the simulator alone on the same program and reports the transfer's share.
import { InstructionStream, Loopback, BarrierMask } from '@bss2/fisch';
import type { BenchRecord, Benchmark } from '@bss2/bench';
import { connectInProcess } from '../src/in-process/index.js';
import { connectTcp, serveSimulator } from '../src/node/index.js';

const PPU_MEMORY = 0x0280_0000;
const PPU_WORDS = 4096;
const ROUND_TRIPS = 3000;
const WARM_UP = 300;
const STREAM_BYTES = 16 * 2 ** 20;
const THROUGHPUT_REPEATS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** A small program: three writes and one read (the size of a register poke from a commissioning script). */
function smallProgram(): Uint8Array {
  return new InstructionStream()
    .omnibusWrite(PPU_MEMORY, 1)
    .omnibusWrite(PPU_MEMORY + 1, 2)
    .omnibusWrite(PPU_MEMORY + 2, 3)
    .omnibusRead(PPU_MEMORY + 1)
    .loopback(Loopback.halt)
    .toBytes();
}

/** Exactly 16 MiB of instruction words: omnibus writes over PPU memory, a barrier, the halt. */
function largeProgram(): Uint8Array {
  const words = STREAM_BYTES / 8;
  const stream = new InstructionStream(words);
  const writes = (words - 2) / 2;
  for (let i = 0; i < writes; i++) stream.omnibusWrite(PPU_MEMORY + (i % PPU_WORDS), i >>> 0);
  return stream.barrier(BarrierMask.omnibus).loopback(Loopback.halt).toBytes();
}

async function roundTrip(): Promise<BenchRecord[]> {
  const server = await serveSimulator({ port: 0, transport: 'tcp' });
  const connection = await connectTcp('127.0.0.1', server.address.port);
  const local = connectInProcess();
  const program = smallProgram();
  const time = async (execute: (p: Uint8Array) => Promise<Uint8Array>): Promise<number[]> => {
    for (let i = 0; i < WARM_UP; i++) await execute(program);
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const start = performance.now();
      await execute(program);
      samples.push((performance.now() - start) * 1000);
    }
    return samples;
  };
  try {
    const tcp = await time((p) => connection.execute(p));
    const inProcess = await time((p) => local.execute(p));
    const inputs = { instructions: program.length / 8, bytes: program.length, round_trips: ROUND_TRIPS, transport: 'tcp loopback, server in-process' };
    return [
      {
        name: 'hxcomm.tcp.roundtrip',
        value: round(median(tcp)),
        unit: 'µs',
        inputs,
        p10_us: round(quantile(tcp, 0.1)),
        p90_us: round(quantile(tcp, 0.9)),
        in_process_median_us: round(median(inProcess)),
      },
    ];
  } finally {
    await connection.close();
    await server.close();
  }
}

async function throughput(): Promise<BenchRecord[]> {
  const program = largeProgram();
  const server = await serveSimulator({ port: 0, transport: 'tcp' });
  const connection = await connectTcp('127.0.0.1', server.address.port);
  // The same simulator alone, for the transfer's share (the in-process entry brings it).
  const chip = connectInProcess().chip;
  try {
    await connection.execute(program);
    chip.execute(program);
    const endToEnd: number[] = [];
    const executeOnly: number[] = [];
    for (let i = 0; i < THROUGHPUT_REPEATS; i++) {
      let start = performance.now();
      await connection.execute(program);
      endToEnd.push(performance.now() - start);
      start = performance.now();
      chip.execute(program);
      executeOnly.push(performance.now() - start);
    }
    const total_ms = median(endToEnd);
    const execute_ms = median(executeOnly);
    const transfer_ms = Math.max(total_ms - execute_ms, 1e-3);
    const megabytes = program.length / 1e6;
    const inputs = { bytes: program.length, instructions: program.length / 8, mix: 'omnibus writes over PPU memory', repeats: THROUGHPUT_REPEATS };
    return [
      {
        name: 'hxcomm.tcp.throughput',
        value: round(megabytes / (total_ms / 1000)),
        unit: 'MB/s',
        inputs,
        total_ms: round(total_ms),
        execute_ms: round(execute_ms),
        transfer_ms: round(transfer_ms),
        transfer_share: round(transfer_ms / total_ms, 3),
      },
      {
        name: 'hxcomm.tcp.throughput.transfer',
        value: round(megabytes / (transfer_ms / 1000)),
        unit: 'MB/s',
        inputs: { ...inputs, note: 'end to end minus the simulator executing the same program in-process' },
      },
    ];
  } finally {
    await connection.close();
    await server.close();
  }
}

export const benchmarks: Benchmark[] = [
  { name: 'hxcomm.tcp.roundtrip', run: roundTrip },
  { name: 'hxcomm.tcp.throughput', run: throughput },
];
