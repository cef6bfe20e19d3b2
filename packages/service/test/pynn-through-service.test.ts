// Issue 16: a PyNN script runs unchanged through the service. The connection comes from the environment
// (QUIGGELDY_*), exactly as for any script that opens its chip with connectFromEnv.
import type { Connection } from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { connectFromEnv } from '@bss2/hxcomm/node';
import { InstructionStream, Loopback } from '@bss2/fisch';
import * as pynn from '@bss2/pynn';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../src/node/index.js';
import { connectAs, startTestService, tokenFor, writeReadProgram } from './service-harness.js';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const analog = { idealChip: true };

/** Words of NeuronConfig(0..1) and CapMem cells of block 0 (hardware.md §3.11): state alice's network uses. */
const CONTESTED = [...Array.from({ length: 12 }, (_, i) => 0x16_0000 + i), ...Array.from({ length: 64 }, (_, i) => 0x14_0000 + i)];

/** The intruder's program: garbage into the contested words. */
function intrusion(i: number): Uint8Array {
  const stream = new InstructionStream();
  for (const address of CONTESTED) stream.omnibusWrite(address, (i * 7919 + address) & 0x3ff);
  return stream.loopback(Loopback.halt).toBytes();
}

/** The pynn README network with two runs: continued (the second run goes on from the first) or after reset(). */
async function network(connection: Connection, between: 'continue' | 'reset'): Promise<number[][][]> {
  pynn.setup({ connection, calibration: 'nominal' });
  const neuron = new pynn.Population(2, new pynn.IF_curr_exp({ tau_m: 10, cm: 0.2 }), { label: 'neuron' });
  const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [10, 12, 14, 16, 60, 62, 64, 66] }), { label: 'input' });
  new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 63 }));
  neuron.record(['spikes']);
  await pynn.run(50);
  if (between === 'reset') pynn.reset();
  await pynn.run(between === 'reset' ? 100 : 50);
  const segments = neuron.getData().segments.map((segment) => segment.spiketrains.map((train) => Array.from(train.times)));
  await pynn.end();
  return segments;
}

async function inProcessSpikes(between: 'continue' | 'reset'): Promise<number[][][]> {
  const connection = connectInProcess({ seed: 1, analog });
  const spikes = await network(connection, between);
  await connection.close();
  expect(spikes.flat(2).length).toBeGreaterThan(0);
  return spikes;
}

async function serviceEnvironment(user: string): Promise<Record<string, string>> {
  return { QUIGGELDY_ENABLED: '1', QUIGGELDY_IP: '127.0.0.1', QUIGGELDY_PORT: String(service!.address.port), QUIGGELDY_USER: user, QUIGGELDY_TOKEN: await tokenFor(user) };
}

describe('a PyNN network through the service', () => {
  it('an unchanged script (setup() without a connection) runs through the service when QUIGGELDY_* is set', async () => {
    const expected = await inProcessSpikes('reset');
    service = await startTestService({ chips: 2, seed: 1, analog });
    const saved = { ...process.env };
    Object.assign(process.env, await serviceEnvironment('bob'));
    try {
      pynn.setup({ calibration: 'nominal' });
      const neuron = new pynn.Population(2, new pynn.IF_curr_exp({ tau_m: 10, cm: 0.2 }), { label: 'neuron' });
      const input = new pynn.Population(1, new pynn.SpikeSourceArray({ spike_times: [10, 12, 14, 16, 60, 62, 64, 66] }), { label: 'input' });
      new pynn.Projection(input, neuron, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 63 }));
      neuron.record(['spikes']);
      await pynn.run(50);
      pynn.reset();
      await pynn.run(100);
      const spikes = neuron.getData().segments.map((segment) => segment.spiketrains.map((train) => Array.from(train.times)));
      await pynn.end();
      expect(spikes).toEqual(expected);
      // The service saw bob's programs: the script did not fall back to a chip of its own.
      expect(service.metrics().unitsPerUser['bob'] ?? 0).toBeGreaterThan(0);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('gives exactly the in-process spikes, continued runs included (the snapshot takes no chip time)', async () => {
    const expected = await inProcessSpikes('continue');
    service = await startTestService({ chips: 2, seed: 1, analog });
    const connection = await connectFromEnv(await serviceEnvironment('alice'));
    expect(await network(connection, 'continue')).toEqual(expected);
    await connection.close();
  });

  it('gives the in-process spikes while another user interleaves writes on the same chip', async () => {
    const expected = await inProcessSpikes('reset');
    // One chip: every program of the other user makes the chip change hands, so alice's programs run after a
    // restore of her state (power-on reset, her writes, the CapMem settling).
    service = await startTestService({ chips: 1, seed: 1, analog });
    const intruder = await connectAs(service, 'mallory');
    let stop = false;
    const interference = (async () => {
      for (let i = 0; !stop; i++) await intruder.execute(i % 2 === 0 ? intrusion(i) : writeReadProgram(i));
    })();
    const connection = await connectFromEnv(await serviceEnvironment('alice'));
    const throughService = await network(connection, 'reset');
    await connection.close();
    stop = true;
    await interference;
    await intruder.close();
    expect(throughService).toEqual(expected);
    expect(service.metrics().restores).toBeGreaterThan(2);
  });
});
