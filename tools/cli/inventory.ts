// `bss2 inventory`: every coordinate type (halco) and container type (lola) with its count.
import { coordinateTypes } from '@bss2/halco';
import { containerTypes } from '@bss2/lola';
import Table from 'cli-table3';

// One line per row, no colours: the output is read by people and by grep alike.
const COMPACT = { compact: true, head: [], border: [] };

export function inventory(): void {
  const coordinates = [...coordinateTypes()].sort(([a], [b]) => a.localeCompare(b));
  const coordinateTable = new Table({ head: ['coordinate type', 'instances'], colAligns: ['left', 'right'], style: COMPACT });
  for (const [name, type] of coordinates) coordinateTable.push([name, type.size]);
  console.log(`${coordinates.length} coordinate types (halco)`);
  console.log(coordinateTable.toString());

  const containers = [...containerTypes()].sort(([a], [b]) => a.localeCompare(b));
  const containerTable = new Table({
    head: ['container', 'coordinate type', 'instances', 'words each', 'words', 'access'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left'],
    style: COMPACT,
  });
  let words = 0;
  for (const [name, type] of containers) {
    const instances = type.coordinateType.size;
    words += instances * type.wordCount;
    const access = [type.readable ? 'read' : '', type.writable ? 'write' : ''].filter((a) => a !== '').join('/') || 'none';
    containerTable.push([name, type.coordinateType.typeName, instances, type.wordCount, instances * type.wordCount, access]);
  }
  console.log(`\n${containers.length} container types (lola), ${words} words over all instances`);
  console.log(containerTable.toString());
}
