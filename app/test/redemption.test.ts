import { createHash } from 'node:crypto';

import { generateKeyPairSigner, getAddressEncoder } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import {
  decodeRedemptionRequestData,
  REDEMPTION_REQUEST_DISCRIMINATOR,
  REDEMPTION_REQUEST_SIZE,
  redemptionRequestAddress,
} from '../src/index.js';
import { findRedemptionRequestPda } from '../src/generated/index.js';

describe('redemption requests', () => {
  it("knows the account's discriminator: sha256('account:RedemptionRequest')[..8]", () => {
    const hash = createHash('sha256').update('account:RedemptionRequest').digest().subarray(0, 8);
    expect([...REDEMPTION_REQUEST_DISCRIMINATOR]).toEqual([...hash]);
  });

  it('decodes the zero-copy layout (version, bump, padding, pool, tranche, owner, shares, requested_at, reserved)', async () => {
    const [pool, tranche, owner] = await Promise.all([0, 1, 2].map(async () => (await generateKeyPairSigner()).address));
    const data = new Uint8Array(REDEMPTION_REQUEST_SIZE);
    data.set(REDEMPTION_REQUEST_DISCRIMINATOR, 0);
    data[8] = 1; // version
    const encoder = getAddressEncoder();
    data.set(encoder.encode(pool!), 16);
    data.set(encoder.encode(tranche!), 48);
    data.set(encoder.encode(owner!), 80);
    const view = new DataView(data.buffer);
    view.setBigUint64(112, 123_456_789n, true);
    view.setBigInt64(120, 1_700_000_000n, true);
    expect(decodeRedemptionRequestData(data)).toEqual({ pool, tranche, owner, shares: 123_456_789n, requestedAt: 1_700_000_000n });
    expect(() => decodeRedemptionRequestData(data.subarray(0, 143))).toThrow(/144 bytes/);
    data[0] = 0;
    expect(() => decodeRedemptionRequestData(data)).toThrow(/discriminator/);
    expect(await redemptionRequestAddress(tranche!, owner!)).toBe((await findRedemptionRequestPda({ tranche: tranche!, holder: owner! }))[0]);
  });
});
