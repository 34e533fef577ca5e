import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, isPair } from 'yaml';

export interface Location {
  line: number;
  column: number;
}

/**
 * Source position of the node at `path` in a parsed YAML document. When the
 * path goes further than the document (a missing key), the position of the
 * deepest existing ancestor. `keyOnly` returns the position of the map key
 * rather than its value (for unknown keys).
 */
export function locate(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
  keyOnly = false,
): Location | null {
  let node: unknown = doc.contents;
  let offset: number | null = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      if (keyOnly && segment === path[path.length - 1]) {
        offset = rangeStart(pair.key);
        break;
      }
      node = pair.value;
      offset = rangeStart(pair.value) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  if (offset === null) return null;
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | null {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return range ? range[0] : null;
}
