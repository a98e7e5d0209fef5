// Renders the @solana/kit client from the Anchor IDL with Codama.
//   tsx scripts/render-client.ts <idl.json> <output dir>
// Run through `npm run generate` (scripts/generate.sh), which builds the IDL first.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { rootNodeFromAnchor, type AnchorIdl } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { createFromRoot } from 'codama';

const [idlPath, outDir] = process.argv.slice(2);
if (!idlPath || !outDir) {
  console.error('usage: tsx scripts/render-client.ts <idl.json> <output dir>');
  process.exit(2);
}

const idl = JSON.parse(readFileSync(resolve(idlPath), 'utf8')) as AnchorIdl;
const codama = createFromRoot(rootNodeFromAnchor(idl));
// No `packageFolder`: formatting uses the renderer's fixed Prettier defaults, so the
// output never depends on a local Prettier config, and package.json is left alone.
await codama.accept(renderVisitor(resolve(outDir), { deleteFolderBeforeRendering: true }));
console.error(`rendered ${idlPath} -> ${outDir}`);
