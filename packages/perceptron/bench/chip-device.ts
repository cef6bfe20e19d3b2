// The simulated chip as a MacDevice for the chip benchmarks: an in-process simulator, MAC-calibrated, behind
// execution's MacExecutor.
import { MacExecutor } from '@bss2/execution';
import { calibrateMAC } from '@bss2/calibration';
import { connectInProcess } from '@bss2/hxcomm/in-process';

export async function createChipDevice(seed: number): Promise<MacExecutor> {
  const connection = connectInProcess({ seed });
  const calibration = await calibrateMAC(connection);
  return new MacExecutor({ connection, calibration });
}
