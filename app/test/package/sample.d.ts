// sample.js is plain JavaScript so the packed package's consumers run it as it is.
export function sample(client: typeof import('../../src/index.js'), kit: typeof import('@solana/kit')): Promise<unknown>;
