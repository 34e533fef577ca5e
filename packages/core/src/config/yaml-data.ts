import { isAlias, visit, type Document, type LineCounter } from 'yaml';

/**
 * Most alias expansions one config may use. A config needs few if any; a
 * "billion laughs" file needs millions. The yaml package counts and stops.
 */
export const MAX_ALIAS_COUNT = 100;

export type YamlData =
  | { ok: true; data: unknown }
  | { ok: false; line: number | null; column: number | null; message: string };

/** The document as plain data, or why it cannot be (alias bomb, unresolved alias), located at the alias. */
export function yamlToData(doc: Document, counter: LineCounter): YamlData {
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const excessive = /alias count/i.test(reason);
    let at: number | null = null;
    visit(doc, {
      Alias(_key, node) {
        if (excessive || node.resolve(doc) === undefined) {
          at = node.range?.[0] ?? null;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const where = at === null ? null : counter.linePos(at);
    const message = excessive
      ? `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses); a config needs at most a few`
      : /Unresolved alias/i.test(reason)
        ? `YAML alias ${firstAliasName(doc) ?? ''} refers to no anchor defined before it`.replace(
            '  ',
            ' ',
          )
        : `YAML cannot be read: ${reason.split('\n')[0] ?? reason}`;
    return { ok: false, line: where?.line ?? null, column: where?.col ?? null, message };
  }
}

function firstAliasName(doc: Document): string | null {
  let name: string | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        name = `*${node.source}`;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return name;
}
