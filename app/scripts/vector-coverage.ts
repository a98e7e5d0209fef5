// Lists what the test vectors cover, so that a change to how they are written can show
// it dropped nothing: per case section, the error names, whether successful outputs
// are present, the input keys and the enum-like values (booleans, orderings, nested
// error names) that occur; per object section, the key paths and case names; and
// which test files consume each section.
//
// Usage: npx tsx scripts/vector-coverage.ts [core.json]  (prints a report; diff two runs)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = string | boolean | null | Json[] | { [key: string]: Json };

const app = new URL('..', import.meta.url).pathname;
const file = process.argv[2] ?? join(app, 'test/vectors/core.json');
const vectors = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;

const isObject = (v: Json): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const numeric = (v: string) => /^-?\d+$/.test(v) || /^[0-9a-f]{16,}$/.test(v) || /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(v);

/** Booleans, non-numeric strings and nested error names anywhere below `value`. */
function enums(value: Json, path: string, into: Set<string>): void {
  if (typeof value === 'boolean') into.add(`${path}=${value}`);
  else if (typeof value === 'string' && !numeric(value)) into.add(`${path}=${value}`);
  else if (Array.isArray(value)) value.forEach((v) => enums(v, `${path}[]`, into));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) enums(v, path ? `${path}.${k}` : k, into);
}

/** Key paths of an object section (array indices folded). */
function paths(value: Json, path: string, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => paths(v, `${path}[]`, into));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) paths(v, `${path}.${k}`, into);
    if (typeof value.name === 'string') into.add(`${path}{name=${value.name}}`);
  } else into.add(path);
}

const testDir = join(app, 'test');
const testFiles = [...readdirSync(testDir), ...readdirSync(join(testDir, 'keeper')).map((f) => `keeper/${f}`)]
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => [f, readFileSync(join(testDir, f), 'utf8')] as const);
const consumers = (name: string) =>
  testFiles.filter(([, src]) => src.includes(`'${name}'`) || src.includes(`vectors.${name}`)).map(([f]) => f);

for (const [name, value] of Object.entries(vectors)) {
  const used = consumers(name).join(' ') || '-';
  const casesSection = Array.isArray(value) && value.every((c) => isObject(c) && ('out' in c || 'error' in c));
  if (casesSection) {
    const cases = value as { [key: string]: Json }[];
    const errors = [...new Set(cases.flatMap((c) => (typeof c.error === 'string' ? [c.error] : [])))].sort();
    const inputs = [...new Set(cases.flatMap((c) => Object.keys(c).filter((k) => k !== 'out' && k !== 'error')))].sort();
    const kinds = new Set<string>();
    cases.forEach((c) => c.out !== undefined && enums(c.out, 'out', kinds));
    const hasOut = cases.some((c) => c.out !== undefined);
    console.log(`${name}: fn out=${hasOut} errors=[${errors}] inputs=[${inputs}] values=[${[...kinds].sort()}] tests=${used}`);
  } else {
    const found = new Set<string>();
    paths(value, '', found);
    console.log(`${name}: object paths=[${[...found].sort()}] tests=${used}`);
  }
}
