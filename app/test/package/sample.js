// What the package test runs through @strata/client three ways (the sources in the
// repo, the packed package in Node, the packed package bundled by Vite in Chromium):
// PDAs, an instruction's bytes and accounts, a program error's name and message, a u128
// round trip, as JSON-able values. Plain JavaScript, so Node and the browser bundle
// run this very file. `client` is the package's module, `kit` @solana/kit's.
export async function sample(client, kit) {
  const authority = kit.createNoopSigner(kit.address('EdD1uWvbLvBLBcNPwAVtGLRffAWGxThanjZ3HyAQkZo7'));
  const pool = await client.poolAddress(authority.address, 7);
  const { instructions } = await client.tx.setPauseFlags({ authority, pool, flags: client.tx.PauseFlags.Mint });
  const [instruction] = instructions;
  return {
    pool,
    noteMint: await client.noteMintAddress(pool),
    tranche: await client.trancheAddresses(pool, 1),
    instruction: {
      program: instruction.programAddress,
      accounts: instruction.accounts.map((account) => account.address),
      data: kit.getBase16Decoder().decode(instruction.data),
    },
    error: client.programError({ InstructionError: [0, { Custom: 6022 }] }),
    u128: client.u128FromLe(client.u128ToLe(client.U128_MAX - 41n)).toString(),
  };
}
