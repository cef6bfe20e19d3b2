// The main demo (README, first command): the chip's inventory, one line per coordinate type.
import { coordinateTypes } from '@bss2/halco';

console.log('Simulated BrainScaleS-2 chip (HICANN-X rev. 3): coordinate inventory');
for (const [name, type] of [...coordinateTypes()].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${name.padEnd(48)} ${String(type.size).padStart(10)}`);
}
