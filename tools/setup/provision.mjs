// Provisions the real components the test suite uses beyond npm packages, before `pnpm test`, from Debian:
// python3-h5py (the NIR cross-check reads and writes HDF5 with the reference's library), redis-server (the
// scheduling service's BullMQ queues; tests start their own server on 127.0.0.1), chromium (the lab's browser
// tests, driven by playwright-core) and slurm-wlm with munge (the sweep's sbatch job array on a one-node cluster the
// test starts as plain processes).
// With root and apt-get it installs what is missing; otherwise it says what to install, and the tests that need
// it skip with the same message.
import { execFileSync, spawnSync } from 'node:child_process';

const packages = [
  { check: ['/usr/bin/python3', ['-c', 'import h5py, numpy']], debian: ['python3-h5py', 'python3-numpy'], why: 'NIR files cross-checked with h5py' },
  { check: ['redis-server', ['--version']], debian: ['redis-server'], why: 'the service\'s job queues on BullMQ' },
  { check: ['/usr/bin/chromium', ['--version']], debian: ['chromium'], why: 'the lab\'s browser tests' },
  { check: ['/usr/sbin/slurmctld', ['-V']], debian: ['slurm-wlm', 'munge'], why: 'bss2 sweep --slurm job arrays run on a one-node Slurm the test starts' },
];

const ok = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const missing = packages.filter((p) => !ok(...p.check));
if (missing.length === 0) process.exit(0);
const names = missing.flatMap((p) => p.debian);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (root && ok('sh', ['-c', 'command -v apt-get'])) {
  console.log(`provision: installing ${names.join(' ')} (${missing.map((p) => p.why).join('; ')})`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    console.warn(`provision: apt-get failed (${error.message}); the tests that need ${names.join(', ')} will skip`);
  }
} else {
  console.warn(`provision: missing ${names.join(', ')} (${missing.map((p) => p.why).join('; ')}): install them with \`sudo apt-get install -y ${names.join(' ')}\`; until then those tests skip`);
}
