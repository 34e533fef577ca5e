import { PackFormatError } from './pack-format';

export interface TreeItem {
  mode: number;
  name: string;
  oid: Buffer;
}

/** Entries of a tree object: `<octal mode> <name>\0<20-byte id>`, repeated. */
export function parseTree(data: Buffer, oid: string): TreeItem[] {
  const items: TreeItem[] = [];
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > data.length)
      throw new PackFormatError(`tree ${oid} is malformed`);
    const mode = parseInt(data.toString('latin1', i, space), 8);
    const name = data.toString('utf8', space + 1, nul);
    if (!isSafeName(name))
      throw new PackFormatError(`tree ${oid} has an unsafe entry name ${JSON.stringify(name)}`);
    if (![0o40000, 0o100644, 0o100755, 0o120000, 0o160000].includes(mode))
      throw new PackFormatError(`tree ${oid} has an entry of unknown mode ${mode.toString(8)}`);
    items.push({ mode, name, oid: data.subarray(nul + 1, nul + 21) });
    i = nul + 21;
  }
  return items;
}

const isSafeName = (name: string): boolean =>
  name !== '' &&
  name !== '.' &&
  name !== '..' &&
  name.toLowerCase() !== '.git' &&
  !name.includes('/') &&
  !name.includes('\\');
