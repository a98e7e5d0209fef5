/**
 * How the executor decides a transaction's outcome, against a scripted RPC: what the
 * chain says decides, never one answer alone.
 */
import {
  createSolanaRpcFromTransport,
  generateKeyPairSigner,
  SolanaError,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  address,
  type Base64EncodedWireTransaction,
  type RpcTransport,
  type Signature,
} from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { DuplicateTransaction, Executor, type SignedAction } from '../../keeper/executor.js';
import { STRATA_ERROR_NAMES } from '../../src/program-errors.js';

type Answer = { result: unknown } | { error: { code: number; message: string; data?: unknown } } | 'hang' | Error;
type Script = Partial<Record<string, (call: number, params: unknown[]) => Answer>>;

/** A transport answering each method by its script (`call` counts from 0); a hanging
 * answer waits for the abort signal, as fetch does. */
function scripted(script: Script) {
  const calls: Record<string, number> = {};
  const transport: RpcTransport = async ({ payload, signal }) => {
    const { method, id, params } = payload as { method: string; id: number; params: unknown[] };
    const call = calls[method] ?? 0;
    calls[method] = call + 1;
    const answer = script[method]?.(call, params) ?? { result: null };
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (answer instanceof Error) throw answer;
    return { jsonrpc: '2.0', id, ...answer } as never;
  };
  return { rpc: createSolanaRpcFromTransport(transport), calls };
}

const signed: SignedAction = { wire: 'AA==' as Base64EncodedWireTransaction, signature: '1111111111111111111111111111111111111111111111111111111111111111' as Signature, lastValidBlockHeight: 100n };
const height = (value: number) => () => ({ result: value });
const throttled = () => new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, { headers: new Headers(), message: 'Too Many Requests', statusCode: 429 });
const preflight = (err: unknown) => ({ error: { code: -32002, message: 'Transaction simulation failed', data: { err, logs: [], accounts: null, unitsConsumed: 0 } } });
const status = (err: unknown) => ({ result: { context: { slot: 1 }, value: [{ slot: 1, confirmations: null, err, confirmationStatus: 'finalized' }] } });
const noStatus = () => ({ result: { context: { slot: 1 }, value: [null] } });
const transaction = (err: unknown) => ({ result: { slot: 1, blockTime: null, meta: { err, fee: 5000, preBalances: [], postBalances: [] }, transaction: ['', 'base64'] } });
const [strataCode, strataName] = [...STRATA_ERROR_NAMES][0]!;

async function see(script: Script, options: { hedgeMs?: number; signal?: AbortSignal } = {}) {
  const { rpc, calls } = scripted(script);
  const executor = new Executor(rpc, await generateKeyPairSigner(), { dryRun: false, computeUnitLimit: 0, computeUnitPrice: 0n, pollMs: 10, resendMs: 200, hedgeMs: options.hedgeMs ?? 50, statusGraceMs: 300 });
  const hooks = { sent: 0, watched: 0 };
  const refused: { reason: string; at: number }[] = [];
  const outcome = await executor.see(signed, options.signal ?? new AbortController().signal, {
    onSent: () => hooks.sent++,
    onWatched: () => hooks.watched++,
    onRefused: (reason) => refused.push({ reason, at: Date.now() }),
  });
  return { outcome, calls, hooks, refused, resolvedAt: Date.now() };
}

describe('Executor.see', () => {
  it('counts as landed a transaction whose re-send is "already processed", confirmed by getTransaction while status queries are throttled', async () => {
    let resent = false;
    const { outcome, calls, hooks } = await see({
      // One initial copy's answer is lost; another finds it processed.
      sendTransaction: (call) => (call === 0 ? 'hang' : ((resent = true), preflight('AlreadyProcessed'))),
      getSignatureStatuses: () => throttled(),
      // The node's history lags until then: the verdict follows "already processed".
      getTransaction: () => (resent ? transaction(null) : { result: null }),
      getBlockHeight: height(50),
    });
    expect(outcome).toMatchObject({ status: 'landed', signature: signed.signature });
    expect(calls.sendTransaction).toBe(2);
    expect(hooks).toEqual({ sent: 1, watched: 1 });
  });

  it('"already processed" is not a success by itself: the status names the failure', async () => {
    let resent = false;
    const { outcome } = await see({
      sendTransaction: (call) => (call === 0 ? 'hang' : ((resent = true), preflight('AlreadyProcessed'))),
      getSignatureStatuses: () => (resent ? status({ InstructionError: [1, { Custom: strataCode }] }) : noStatus()),
      getBlockHeight: height(50),
    });
    expect(outcome).toEqual({ status: 'failed', signature: signed.signature, reason: strataName });
  });

  it('a processed transaction whose status shows up only after its blockhash expired is still landed', async () => {
    let processed = false;
    let expiredSeenAt = 0;
    const { outcome } = await see({
      sendTransaction: (call) => (call === 0 ? 'hang' : ((processed = true), preflight('AlreadyProcessed'))),
      // The blockhash expires once the cluster has processed it...
      getBlockHeight: () => (processed ? ((expiredSeenAt ||= Date.now()), { result: 101 }) : { result: 50 }),
      // ...and the node's history lags: nothing until 100 ms after the expiry was seen.
      getSignatureStatuses: () => (expiredSeenAt > 0 && Date.now() - expiredSeenAt > 100 ? status(null) : noStatus()),
    });
    expect(expiredSeenAt).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ status: 'landed' });
  });

  it('a refused first send (its two copies) is final at once, and named', async () => {
    const { outcome, calls } = await see({
      sendTransaction: () => preflight({ InstructionError: [2, { Custom: strataCode }] }),
      getBlockHeight: height(50),
    });
    expect(outcome).toEqual({ status: 'failed', signature: signed.signature, reason: strataName });
    expect(calls.sendTransaction).toBe(2);
  });

  it('the first send goes out twice at once: one lost copy costs nothing, a refusal of the other is final', async () => {
    const { outcome, calls } = await see({
      sendTransaction: (call) => (call === 0 ? 'hang' : preflight({ InstructionError: [2, { Custom: strataCode }] })),
      getBlockHeight: height(50),
    });
    expect(outcome).toEqual({ status: 'failed', signature: signed.signature, reason: strataName });
    expect(calls.sendTransaction).toBe(2);
  });

  it('a refused repeat after a lost first send waits for the status: a lost copy may still land', async () => {
    let refusedAt = 0;
    const { outcome, calls } = await see({
      // Both initial copies are lost; the repeat is refused.
      sendTransaction: (call) => (call < 2 ? 'hang' : ((refusedAt = Date.now()), preflight({ InstructionError: [2, { Custom: strataCode }] }))),
      // A lost copy shows up well after the refusal.
      getSignatureStatuses: () => (refusedAt > 0 && Date.now() - refusedAt > 150 ? status(null) : noStatus()),
      getBlockHeight: height(50),
    });
    expect(outcome).toMatchObject({ status: 'landed' });
    // No further send after the refusal.
    expect(calls.sendTransaction).toBe(3);
  });

  it('a refused repeat after lost sends is reported at once (onRefused), while the outcome waits for the expiry', async () => {
    let refusedAt = 0;
    const { outcome, refused, resolvedAt } = await see({
      sendTransaction: (call) => (call < 2 ? 'hang' : ((refusedAt ||= Date.now()), preflight({ InstructionError: [2, { Custom: strataCode }] }))),
      getSignatureStatuses: noStatus,
      // The blockhash expires 300 ms after the refusal.
      getBlockHeight: () => ({ result: refusedAt > 0 && Date.now() - refusedAt > 300 ? 101 : 50 }),
    });
    expect(outcome).toEqual({ status: 'failed', signature: signed.signature, reason: strataName });
    expect(refused).toEqual([{ reason: strataName, at: expect.any(Number) }]);
    // Told within a poll of the refusal, the outcome only after the expiry.
    expect(refused[0]!.at - refusedAt).toBeLessThan(50);
    expect(resolvedAt - refusedAt).toBeGreaterThanOrEqual(300);
  });

  it('onRefused is not called for a refusal of the first send (final at once) nor after a copy was found processed', async () => {
    const first = await see({ sendTransaction: () => preflight({ InstructionError: [2, { Custom: strataCode }] }), getBlockHeight: height(50) });
    expect(first.outcome).toMatchObject({ status: 'failed' });
    expect(first.refused).toEqual([]);
    let landed = false;
    const processed = await see({
      // Lost, lost, processed, then a repeat refused by what the processed copy did.
      sendTransaction: (call) => (call < 2 ? 'hang' : call === 2 ? ((landed = true), preflight('AlreadyProcessed')) : preflight({ InstructionError: [2, { Custom: strataCode }] })),
      getSignatureStatuses: () => (landed ? status(null) : noStatus()),
      getBlockHeight: height(50),
    });
    expect(processed.outcome).toMatchObject({ status: 'landed' });
    expect(processed.refused).toEqual([]);
  });

  it('expired: its blockhash is past and the chain never saw it', async () => {
    const { outcome } = await see({
      sendTransaction: () => ({ result: signed.signature }),
      getSignatureStatuses: noStatus,
      getBlockHeight: (call) => ({ result: call < 2 ? 90 : 101 }),
    });
    expect(outcome).toEqual({ status: 'expired', signature: signed.signature });
  });

  it('a status that cannot be read after expiry is given up as StatusUnknown, not counted as expired', async () => {
    const { outcome } = await see({
      sendTransaction: () => ({ result: signed.signature }),
      getSignatureStatuses: () => throttled(),
      getTransaction: () => throttled(),
      getBlockHeight: height(101),
    });
    expect(outcome).toEqual({ status: 'failed', signature: signed.signature, reason: 'StatusUnknown' });
  });

  it('re-sends an unanswered send after hedgeMs, without waiting for a timeout', async () => {
    const started = performance.now();
    let resent = false;
    const { outcome, calls } = await see(
      {
        // Both initial copies are lost on the way; the repeat lands it.
        sendTransaction: (call) => (call < 2 ? 'hang' : ((resent = true), { result: signed.signature })),
        getSignatureStatuses: () => (resent ? status(null) : noStatus()),
        getBlockHeight: height(50),
      },
      { hedgeMs: 40 },
    );
    expect(outcome.status).toBe('landed');
    expect(calls.sendTransaction).toBeGreaterThanOrEqual(3);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives a transaction up as abandoned, at once, when the keeper stops', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const started = performance.now();
    const { outcome } = await see({ sendTransaction: () => 'hang', getSignatureStatuses: () => 'hang', getBlockHeight: () => 'hang' }, { signal: stop.signal });
    expect(outcome).toEqual({ status: 'abandoned', signature: signed.signature, lastValidBlockHeight: 100n });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('Executor status queries', () => {
  it('ask for the statuses of transactions watched at once in shared calls, each answered with its own', async () => {
    // Eight transactions, each landing in a slot of its own.
    const actions: SignedAction[] = Array.from({ length: 8 }, (_, i) => ({ ...signed, signature: `${i + 2}${signed.signature.slice(1)}` as Signature }));
    const slotOf = (signature: string) => actions.findIndex((a) => a.signature === signature) + 10;
    const asked: number[] = [];
    const { rpc, calls } = scripted({
      sendTransaction: (call) => ({ result: actions[call % actions.length]!.signature }),
      getBlockHeight: height(50),
      getSignatureStatuses: (_, params) => {
        const signatures = params[0] as string[];
        asked.push(signatures.length);
        return { result: { context: { slot: 20 }, value: signatures.map((s) => ({ slot: slotOf(s), confirmations: null, err: null, confirmationStatus: 'confirmed' })) } };
      },
    });
    const executor = new Executor(rpc, await generateKeyPairSigner(), { dryRun: false, computeUnitLimit: 0, computeUnitPrice: 0n, pollMs: 10, resendMs: 200, hedgeMs: 50 });
    const outcomes = await Promise.all(actions.map((action) => executor.see(action, new AbortController().signal)));
    outcomes.forEach((outcome, i) => expect(outcome).toMatchObject({ status: 'landed', signature: actions[i]!.signature, slot: BigInt(i + 10) }));
    // Eight transactions, fewer calls: the first call carried several of them.
    expect(calls.getSignatureStatuses).toBeLessThan(actions.length);
    expect(Math.max(...asked)).toBeGreaterThan(1);
  });
});

describe('Executor.sign', () => {
  it('never signs the same transaction twice: the same instructions under the same blockhash wait for the next one', async () => {
    const blockhashes = ['11111111111111111111111111111111', '11111111111111111111111111111111', 'SysvarC1ock11111111111111111111111111111111'];
    const { rpc, calls } = scripted({
      getLatestBlockhash: (call) => ({ result: { context: { slot: 1 }, value: { blockhash: blockhashes[Math.min(call, 2)], lastValidBlockHeight: 150 } } }),
    });
    const executor = new Executor(rpc, await generateKeyPairSigner(), { dryRun: false, computeUnitLimit: 0, computeUnitPrice: 0n });
    // An absorption carries no amount: planned again, it is the very same instructions.
    const instructions = [{ programAddress: address('11111111111111111111111111111111'), data: new Uint8Array([2, 0, 0, 0]) }];
    const first = await executor.sign(instructions);
    // Same blockhash (cached, then fresh): refused as the same transaction.
    await expect(executor.sign(instructions)).rejects.toBeInstanceOf(DuplicateTransaction);
    expect(calls.getLatestBlockhash).toBe(2);
    // Next slot's blockhash: a new transaction.
    const third = await executor.sign(instructions);
    expect(third.signature).not.toBe(first.signature);
  });
});
