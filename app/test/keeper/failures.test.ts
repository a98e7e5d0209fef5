import {
  createSolanaRpcFromTransport,
  SolanaError,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NODE_UNHEALTHY,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  getSolanaErrorFromJsonRpcError,
} from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { STRATA_ERROR_NAMES } from '../../src/program-errors.js';
import { failureReason, isAlreadyProcessed, isBlockhashNotFound, isRefusal, isTransient, retryAfterMs, rpcErrorKind } from '../../keeper/failures.js';
import { RpcTimeout } from '../../keeper/rpc.js';

const http = (statusCode: number, headers: Record<string, string> = {}) =>
  new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, { headers: new Headers(headers), message: 'x', statusCode });

/** A preflight failure as kit builds it from the JSON-RPC answer (-32002 with the simulation). */
const preflight = (err: unknown) =>
  getSolanaErrorFromJsonRpcError({ code: -32002, message: 'Transaction simulation failed', data: { err, logs: [], accounts: null, unitsConsumed: 0 } });

const fetchFailed = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

describe('failures', () => {
  it('retries timeouts, broken connections, throttling and 5xx, and nothing that would fail again', () => {
    expect(isTransient(new RpcTimeout('getSlot', 2_000))).toBe(true);
    expect(isTransient(fetchFailed())).toBe(true);
    expect(isTransient(http(429))).toBe(true);
    expect(isTransient(http(503))).toBe(true);
    expect(isTransient(new SolanaError(SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NODE_UNHEALTHY, { __serverMessage: 'behind' } as never))).toBe(true);
    expect(isTransient(http(400))).toBe(false);
    expect(isTransient(new SolanaError(SOLANA_ERROR__JSON_RPC__INVALID_PARAMS, { __serverMessage: 'bad' }))).toBe(false);
    expect(isTransient(preflight({ InstructionError: [1, { Custom: 6013 }] }))).toBe(false);
    expect(isTransient(new Error('a bug'))).toBe(false);
  });

  it('names RPC failures with a short enumeration', () => {
    expect([new RpcTimeout('getSlot', 1), http(429), http(502), http(404), fetchFailed(), new Error('?')].map(rpcErrorKind)).toEqual([
      'timeout',
      'throttled',
      'http_5xx',
      'http_4xx',
      'network',
      'other',
    ]);
  });

  it('reads Retry-After', () => {
    expect(retryAfterMs(http(429, { 'retry-after': '2' }))).toBe(2_000);
    expect(retryAfterMs(http(429))).toBeUndefined();
  });

  it('tells "already processed" and an unknown blockhash from a refusal', () => {
    const again = preflight('AlreadyProcessed');
    expect(isAlreadyProcessed(again)).toBe(true);
    expect(isBlockhashNotFound(preflight('BlockhashNotFound'))).toBe(true);
    expect(isAlreadyProcessed(preflight({ InstructionError: [1, { Custom: 6013 }] }))).toBe(false);
    expect(isRefusal(preflight({ InstructionError: [1, { Custom: 6013 }] }))).toBe(true);
    expect(isRefusal(http(429))).toBe(false);
    expect(new SolanaError(SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, {} as never)).toBeInstanceOf(Error);
  });

  it('names failures after the program or runtime error, never with raw JSON', () => {
    // Any Strata error code: the name comes from the program's enum.
    const [code, name] = [...STRATA_ERROR_NAMES][0]!;
    expect(failureReason(preflight({ InstructionError: [2, { Custom: code }] }))).toBe(name);
    expect(failureReason({ InstructionError: [2, { Custom: code }] })).toBe(name);
    expect(failureReason(preflight('InsufficientFundsForFee'))).toBe('InsufficientFundsForFee');
    expect(failureReason('BlockhashNotFound')).toBe('BlockhashNotFound');
    expect(failureReason({ InstructionError: [0, { Custom: 1 }] })).toBe('Custom');
    expect(failureReason({ InstructionError: [0, 'InvalidAccountData'] })).toBe('InvalidAccountData');
    expect(failureReason(preflight({ InstructionError: [0, { Custom: 1 }] }))).toBe('Custom');
    expect(failureReason(new Error('{"weird": "json"}'))).toBe('RpcError');
    expect(failureReason({ '{"a":1}': 2 })).toBe('RpcError');
  });

  it('recognises errors as kit\'s RPC stack throws them (classes from its own copy of @solana/errors)', async () => {
    const answering = (error: object) =>
      createSolanaRpcFromTransport(async ({ payload }) => ({ jsonrpc: '2.0', id: (payload as { id: number }).id, error }) as never);
    const thrown = (error: object) =>
      answering(error)
        .sendTransaction('AA==' as never, { encoding: 'base64' })
        .send()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    const simulation = (err: unknown) => ({ code: -32002, message: 'Transaction simulation failed', data: { err, logs: [], accounts: null, unitsConsumed: 0 } });
    const again = await thrown(simulation('AlreadyProcessed'));
    expect(isAlreadyProcessed(again)).toBe(true);
    expect(failureReason(await thrown(simulation('InsufficientFundsForFee')))).toBe('InsufficientFundsForFee');
    const [code, name] = [...STRATA_ERROR_NAMES][0]!;
    expect(failureReason(await thrown(simulation({ InstructionError: [1, { Custom: code }] })))).toBe(name);
    expect(isTransient(await thrown({ code: -32005, message: 'Node is behind', data: { numSlotsBehind: 10 } }))).toBe(true);
    expect(isTransient(await thrown({ code: -32602, message: 'Invalid params' }))).toBe(false);
  });
});
