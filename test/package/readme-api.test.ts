// The README's API table and dist/custom-elements.json (made from the element's TSDoc by the
// analyzer) name the same attributes, properties, methods, events, CSS parts and CSS properties.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

interface Member {
  kind: 'field' | 'method';
  name: string;
}
interface Declaration {
  tagName?: string;
  members: Member[];
  attributes: { name: string; fieldName?: string }[];
  events: { name: string }[];
  cssParts: { name: string }[];
  cssProperties: { name: string }[];
}

const KINDS = ['attribute', 'property', 'method', 'event', 'css part', 'css property'] as const;
type Kind = (typeof KINDS)[number];

/** Names per kind in the README's `## API` table: the backticked names of each row's second cell. */
function readmeTable(): Record<Kind, string[]> {
  const readme = readFileSync(resolve(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('\n## ', readme.indexOf('\n## API\n') + 1));
  const table = Object.fromEntries(KINDS.map((k) => [k, [] as string[]])) as Record<Kind, string[]>;
  for (const [, kind, cell] of section.matchAll(/^\| (attribute|property|method|event|css part|css property) \| (.+?) \|/gm)) {
    table[kind as Kind].push(...[...cell!.matchAll(/`([^`(]+)(?:\([^`]*\))?`/g)].map((m) => m[1]!));
  }
  return table;
}

/** The same, from the manifest. */
function manifest(): Record<Kind, string[]> {
  const json = JSON.parse(readFileSync(resolve(repo, 'dist/custom-elements.json'), 'utf8'));
  const decl = json.modules
    .flatMap((m: { declarations: Declaration[] }) => m.declarations)
    .find((d: Declaration) => d.tagName === 'e2ee-chat') as Declaration;
  const withAttribute = new Set(decl.attributes.map((a) => a.fieldName ?? a.name));
  return {
    attribute: decl.attributes.map((a) => a.name),
    property: decl.members.filter((m) => m.kind === 'field' && !withAttribute.has(m.name)).map((m) => m.name),
    method: decl.members.filter((m) => m.kind === 'method').map((m) => m.name),
    event: decl.events.map((e) => e.name),
    'css part': decl.cssParts.map((p) => p.name),
    'css property': decl.cssProperties.map((p) => p.name),
  };
}

describe("README's API table", () => {
  it.each(KINDS)('lists the same %s names as custom-elements.json', (kind) => {
    const documented = readmeTable();
    const actual = manifest();
    expect(actual[kind].length, `manifest has ${kind}s`).toBeGreaterThan(0);
    expect([...documented[kind]].sort()).toEqual([...actual[kind]].sort());
  });
});
