#!/usr/bin/env node
// Fails when a public symbol of the jsii assembly (.jsii, written by `npm run build`) has no TSDoc
// summary, or an optional struct property has no @default. The generated L1 classes (imports/) are
// exempt: their docs are the CRDs'.
import { readFileSync } from 'node:fs';

const assembly = JSON.parse(readFileSync(new URL('../.jsii', import.meta.url)));
const problems = [];
let checked = 0;
for (const [fqn, type] of Object.entries(assembly.types)) {
  if (type.locationInModule?.filename.startsWith('imports/')) continue;
  checked++;
  if (!type.docs?.summary) problems.push(`${fqn}: no summary`);
  for (const p of type.properties ?? []) {
    if (!p.docs?.summary) problems.push(`${fqn}.${p.name}: no summary`);
    if (type.kind === 'interface' && type.datatype && p.optional && !p.docs?.default) problems.push(`${fqn}.${p.name}: optional without @default`);
  }
  for (const m of type.methods ?? []) if (!m.docs?.summary) problems.push(`${fqn}#${m.name}: no summary`);
}
for (const p of problems) console.error(p);
console.log(`docs: ${checked} types checked, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
process.exit(problems.length ? 1 : 0);
