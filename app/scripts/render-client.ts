// Renders the @solana/kit client from the Anchor IDL with Codama.
//   tsx scripts/render-client.ts <idl.json> <output dir>
// Run through `npm run generate` (scripts/generate.sh), which builds the IDL first.
//
// The IDL is built with account resolution on (as `anchor build` writes it): programs
// have fixed addresses, and the accounts that instructions create carry their PDA
// seeds, from which Codama extracts the PDA finders (`findPositionPda`, ...). The
// program checks the other accounts with named errors (`@ StrataError::…`) rather
// than with `seeds` constraints, which Anchor checks first and reports only as its
// generic `ConstraintSeeds`; so the same PDAs are attached here as those accounts'
// default values, and the async builders (`get…InstructionAsync`) derive them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { rootNodeFromAnchor, type AnchorIdl } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import {
  accountValueNode,
  addPdasVisitor,
  bottomUpTransformerVisitor,
  constantPdaSeedNodeFromString,
  createFromRoot,
  numberTypeNode,
  pdaLinkNode,
  pdaNode,
  pdaSeedValueNode,
  pdaValueNode,
  publicKeyTypeNode,
  setInstructionAccountDefaultValuesVisitor,
  variablePdaSeedNode,
} from 'codama';

const [idlPath, outDir] = process.argv.slice(2);
if (!idlPath || !outDir) {
  console.error('usage: tsx scripts/render-client.ts <idl.json> <output dir>');
  process.exit(2);
}

const idl = JSON.parse(readFileSync(resolve(idlPath), 'utf8')) as AnchorIdl;
const codama = createFromRoot(rootNodeFromAnchor(idl));

// Names for the PDAs extracted from the creating instructions (Codama names them
// after the account, and disambiguates two "vault"s by instruction).
const pdaNames: Record<string, string> = {
  vault: 'collateralVault',
  initTrancheVault: 'trancheVault',
  entry: 'allowlistEntry',
  request: 'redemptionRequest',
};
codama.update(
  bottomUpTransformerVisitor([
    {
      select: '[pdaNode]',
      transform: (node) => (node.kind === 'pdaNode' && pdaNames[node.name] ? pdaNode({ ...node, name: pdaNames[node.name]! }) : node),
    },
    {
      select: '[pdaLinkNode]',
      transform: (node) =>
        node.kind === 'pdaLinkNode' && pdaNames[node.name] ? pdaLinkNode(pdaNames[node.name]!) : node,
    },
  ]),
);

// PDAs whose seeds include instruction arguments, which the extraction leaves inline.
codama.update(
  addPdasVisitor({
    strata: [
      pdaNode({
        name: 'pool',
        seeds: [
          constantPdaSeedNodeFromString('utf8', 'pool'),
          variablePdaSeedNode('creator', publicKeyTypeNode()),
          variablePdaSeedNode('poolId', numberTypeNode('u64')),
        ],
      }),
      pdaNode({
        name: 'tranche',
        seeds: [
          constantPdaSeedNodeFromString('utf8', 'tranche'),
          variablePdaSeedNode('pool', publicKeyTypeNode()),
          variablePdaSeedNode('index', numberTypeNode('u8')),
        ],
      }),
    ],
  }),
);

/** The PDA `name` with each seed taken from the instruction account of the same role. */
const pdaFrom = (name: string, seeds: Record<string, string>) =>
  pdaValueNode(
    name,
    Object.entries(seeds).map(([seed, account]) => pdaSeedValueNode(seed, accountValueNode(account))),
  );
const ownerPosition = pdaFrom('position', { pool: 'pool', owner: 'owner' });
codama.update(
  setInstructionAccountDefaultValuesVisitor([
    { account: 'noteMint', ignoreIfOptional: true, defaultValue: pdaFrom('noteMint', { pool: 'pool' }) },
    ...['deposit', 'withdraw', 'mint', 'closePosition'].map((instruction) => ({
      instruction,
      account: 'position',
      defaultValue: ownerPosition,
    })),
    ...['deposit', 'withdraw'].map((instruction) => ({
      instruction,
      account: 'vault',
      defaultValue: pdaFrom('collateralVault', { pool: 'pool', mint: 'mint' }),
    })),
    { instruction: 'recoverySale', account: 'vault', defaultValue: pdaFrom('trancheVault', { tranche: 'tranche' }) },
    {
      instruction: 'recoverySale',
      account: 'collateralVault',
      defaultValue: pdaFrom('collateralVault', { pool: 'pool', mint: 'collateralMint' }),
    },
    ...['liquidate', 'liquidateBatch'].map((instruction) => ({
      instruction,
      account: 'vault',
      defaultValue: pdaFrom('collateralVault', { pool: 'pool', mint: 'collateralMint' }),
    })),
    ...['trancheDeposit', 'claimRedemption', 'requestRedemption', 'cancelRedemption'].map((instruction) => ({
      instruction,
      account: 'shareMint',
      defaultValue: pdaFrom('shareMint', { tranche: 'tranche' }),
    })),
    ...['trancheDeposit', 'claimRedemption'].map((instruction) => ({
      instruction,
      account: 'vault',
      defaultValue: pdaFrom('trancheVault', { tranche: 'tranche' }),
    })),
    ...['requestRedemption', 'claimRedemption', 'cancelRedemption'].map((instruction) => ({
      instruction,
      account: 'shareEscrow',
      defaultValue: pdaFrom('shareEscrow', { tranche: 'tranche' }),
    })),
    ...['claimRedemption', 'cancelRedemption'].map((instruction) => ({
      instruction,
      account: 'request',
      defaultValue: pdaFrom('redemptionRequest', { tranche: 'tranche', holder: 'holder' }),
    })),
  ]),
);

// No `packageFolder`: formatting uses the renderer's fixed Prettier defaults, so the
// output never depends on a local Prettier config, and package.json is left alone.
await codama.accept(renderVisitor(resolve(outDir), { deleteFolderBeforeRendering: true }));

// Two things in the renderer's output hold only under a bundler, and the package's build
// emits these files as they are, for Node and browsers alike:
// - relative imports without extensions (`from "./accounts"`), which Node's ES modules
//   refuse: each is spelled out as Node resolves it (`./accounts/index.js`, `./pool.js`);
// - the error messages kept only when `process.env.NODE_ENV !== "production"`, which
//   throws where there is no `process` (a browser without a bundler) and leaves a
//   production bundle without them: they are kept everywhere (the admin CLI and the web
//   app show them; a few kilobytes).
function portable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      portable(path);
      continue;
    }
    const source = readFileSync(path, 'utf8');
    const rewritten = source
      .replace(/(from\s+)"(\.{1,2}(?:\/[^"]*)?)"/g, (whole, from: string, specifier: string) => {
        if (/\.[cm]?js$/.test(specifier)) return whole;
        const target = join(dirname(path), specifier);
        if (existsSync(`${target}.ts`)) return `${from}"${specifier}.js"`;
        if (existsSync(join(target, 'index.ts'))) return `${from}"${specifier}/index.js"`;
        throw new Error(`${path}: cannot resolve ${specifier}`);
      })
      .replaceAll('if (process.env.NODE_ENV !== "production") {', 'if (true) {');
    if (/\bprocess\./.test(rewritten)) throw new Error(`${path}: still reads process`);
    if (rewritten !== source) writeFileSync(path, rewritten);
  }
}
portable(resolve(outDir));
console.error(`rendered ${idlPath} -> ${outDir}`);
