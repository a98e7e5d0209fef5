/**
 * The keeper's WebSocket client for program notifications, with kit's plain JSON
 * channel instead of its default big-integer-safe one.
 *
 * Kit's default channel parses every message with a parser that walks each character
 * and wraps every integer as a big integer (`parseJsonWithBigInts`). A liquidating
 * keeper at 10,000 positions receives a notification per position per round, each
 * carrying the account's bytes as base64; that parser took 11% of the keeper's CPU
 * while it cleared such a book. The plain channel parses with `JSON.parse`, and kit's
 * response transformer still turns the numbers into big integers, so the types are
 * the same. What is lost is exactness above 2^53. That does not matter here: the
 * only numbers the keeper reads from these notifications are slots, and it decodes
 * the account's bytes itself (scanner.ts). Lamports and rent epochs may be rounded,
 * and the keeper reads neither.
 */
import {
  createDefaultRpcSubscriptionsChannelCreator,
  createDefaultRpcSubscriptionsTransport,
  createSolanaRpcSubscriptionsFromTransport,
} from '@solana/kit';

/** Subscriptions to `wsUrl` whose messages are parsed with `JSON.parse`. */
export function programSubscriptions(wsUrl: string) {
  return createSolanaRpcSubscriptionsFromTransport(
    createDefaultRpcSubscriptionsTransport({ createChannel: createDefaultRpcSubscriptionsChannelCreator({ url: wsUrl }) }),
  );
}
