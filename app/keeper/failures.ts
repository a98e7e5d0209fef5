/**
 * What went wrong, in words an operator can count. `isTransient` tells the failures
 * worth retrying (no answer, a dropped connection, a throttled or struggling server)
 * from those that will fail the same way again. `rpcErrorKind` and `failureReason`
 * name failures with short enumerations for metrics labels: never raw messages or
 * JSON, whose variety would make every failure its own time series.
 */
import * as kit from '@solana/kit';
import {
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__INTERNAL_ERROR,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_STATUS_NOT_AVAILABLE_YET,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NODE_UNHEALTHY,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED,
  SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
} from '@solana/kit';

import { programError } from '../src/program-errors.js';
import { RpcTimeout } from './rpc.js';

/** Server-side conditions that pass: a node catching up, a slot not there yet. */
const TRANSIENT_SERVER_CODES = new Set<number>([
  SOLANA_ERROR__JSON_RPC__INTERNAL_ERROR,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_NODE_UNHEALTHY,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_NOT_AVAILABLE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_BLOCK_STATUS_NOT_AVAILABLE_YET,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SLOT_SKIPPED,
]);

/** The HTTP status of a failed request, if it got one. */
export function httpStatus(error: unknown): number | undefined {
  return isSolanaError(error, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR) ? error.context.statusCode : undefined;
}

/** A connection that failed or broke before a whole answer came back (undici reports
 * these as `TypeError: fetch failed` or `terminated`, the socket error as the cause). */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message)) return true;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_)/.test(code);
}

/** Worth retrying: no answer, a broken connection, HTTP 408/429/5xx, or a server
 * condition that passes. Anything else (bad parameters, a refused transaction, a
 * bug) would fail the same way again. */
export function isTransient(error: unknown): boolean {
  if (error instanceof RpcTimeout || isNetworkError(error)) return true;
  // A body cut short arrives as unparsable JSON.
  if (error instanceof SyntaxError) return true;
  const status = httpStatus(error);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return isSolanaError(error) && TRANSIENT_SERVER_CODES.has(error.context.__code);
}

/** How long a throttling server asked us to wait (`Retry-After`, seconds), if it did. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!isSolanaError(error, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)) return undefined;
  const headers = error.context.headers as Headers | undefined;
  const seconds = Number(headers?.get?.('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : undefined;
}

/** A short name for an RPC failure: `timeout`, `throttled`, `http_5xx`, `network`,
 * `server`, or `other`. */
export function rpcErrorKind(error: unknown): string {
  if (error instanceof RpcTimeout) return 'timeout';
  const status = httpStatus(error);
  if (status === 429) return 'throttled';
  if (status !== undefined) return status >= 500 ? 'http_5xx' : 'http_4xx';
  if (isNetworkError(error) || error instanceof SyntaxError) return 'network';
  if (isSolanaError(error) && TRANSIENT_SERVER_CODES.has(error.context.__code)) return 'server';
  return 'other';
}

/** `SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED` → `AlreadyProcessed`: the
 * names of the runtime's transaction and instruction errors, by kit error code. */
const RUNTIME_ERROR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(kit)
    .filter(([key, value]) => /^SOLANA_ERROR__(TRANSACTION|INSTRUCTION)_ERROR__/.test(key) && typeof value === 'number')
    .map(([key, value]) => [
      value as number,
      key
        .replace(/^SOLANA_ERROR__(TRANSACTION|INSTRUCTION)_ERROR__/, '')
        .toLowerCase()
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(''),
    ]),
);

/** The transaction or instruction error a send refusal carries (its `cause`). Errors
 * are recognised by name, not class: kit's packages may each bring their own copy of
 * `@solana/errors`. */
function runtimeErrorCode(error: unknown): number | undefined {
  for (let current = error; isSolanaError(current); current = current.cause) {
    if (RUNTIME_ERROR_NAMES.has(current.context.__code)) return current.context.__code;
  }
  return undefined;
}

/** The preflight said the cluster has already processed this very transaction. */
export const isAlreadyProcessed = (error: unknown) =>
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) &&
  runtimeErrorCode(error) === SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED;

/** The preflight did not know the blockhash: not there yet on this node, or expired
 * (the block height decides which). */
export const isBlockhashNotFound = (error: unknown) =>
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) &&
  runtimeErrorCode(error) === SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND;

/** The cluster refused the transaction itself (its simulation failed, a signature is
 * wrong): sending it again changes nothing. */
export const isRefusal = (error: unknown) =>
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) ||
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE);

/** Why a transaction failed, as a name: the Strata error (`PositionHealthy`), else
 * the runtime's (`InsufficientFundsForFee`, `Custom` for another program's code),
 * else what the keeper saw (`SignatureVerificationFailed`, `StatusUnknown`, `RpcError`).
 * Takes a kit error or a status `err` (`{ InstructionError: [2, { Custom: 6013 }] }`). */
export function failureReason(failure: unknown): string {
  const strata = programError(failure);
  if (strata) return strata.name;
  if (isSolanaError(failure, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE)) return 'SignatureVerificationFailed';
  const code = runtimeErrorCode(failure);
  if (code !== undefined) return code === SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM ? 'Custom' : RUNTIME_ERROR_NAMES.get(code)!;
  if (typeof failure === 'string' && /^[A-Za-z]{1,48}$/.test(failure)) return failure; // a status err such as "AlreadyProcessed"
  if (failure && typeof failure === 'object' && !(failure instanceof Error)) {
    const [variant] = Object.keys(failure);
    if (variant && /^[A-Za-z]{1,48}$/.test(variant)) {
      const detail = (failure as Record<string, unknown>)[variant];
      const inner = Array.isArray(detail) ? detail[1] : undefined;
      if (variant === 'InstructionError' && inner !== undefined) {
        return typeof inner === 'string' ? inner : Object.keys(inner as object)[0] ?? variant;
      }
      return variant;
    }
  }
  return 'RpcError';
}
