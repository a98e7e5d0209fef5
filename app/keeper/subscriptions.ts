/**
 * The keeper's WebSocket client for program notifications: kit's channel stack (a
 * pooled WebSocket with pings), with messages parsed by `JSON.parse` instead of kit's
 * big-integer-safe parser, and a program notification for an account the keeper does
 * not keep dropped before it is parsed at all.
 *
 * Why not kit's default channel:
 * - Kit's default parser walks each character and wraps every integer as a big
 *   integer (`parseJsonWithBigInts`). A liquidating keeper at 10,000 positions receives
 *   a notification per position per round, each carrying the account's bytes as
 *   base64; that parser took 11% of the keeper's CPU while it cleared such a book.
 *   `JSON.parse` loses exactness above 2^53, which does not matter here: the only
 *   numbers the keeper reads from these notifications are slots, and it decodes the
 *   account's bytes itself (scanner.ts). Kit's response transformer still turns the
 *   numbers into big integers, so the types are the same.
 * - A fleet's keeper keeps a third of the book (fleet.ts), but the node sends it every
 *   position's notification: no `programSubscribe` filter can select by a hash of the
 *   address. Parsing, transforming and queueing the other two thirds only to drop them
 *   made every keeper of a fleet pay for the whole book's notifications. The account's
 *   address is read from the raw text instead, and a message that is not kept becomes
 *   an empty object, which no subscription claims.
 */
import {
  createDefaultRpcSubscriptionsTransport,
  createSolanaRpcSubscriptionsFromTransport,
  getChannelPoolingChannelCreator,
  getRpcSubscriptionsChannelWithAutoping,
  transformChannelInboundMessages,
  transformChannelOutboundMessages,
} from '@solana/kit';
import { createWebSocketChannel } from '@solana/rpc-subscriptions-channel-websocket';

export type SubscriptionOptions = {
  /** Program notifications for accounts it rejects are dropped unparsed; none: all kept. */
  keepsAccount?: (address: string) => boolean;
};

/** Kit's defaults (rpc-subscriptions-channel.ts): 128 KiB buffered in the socket before
 * the app buffers, a ping after 5 s of silence, at most 100 subscriptions a channel. */
const SEND_BUFFER_HIGH_WATERMARK = 131_072;
const PING_INTERVAL_MS = 5_000;
const MAX_SUBSCRIPTIONS_PER_CHANNEL = 100;

const NOTIFICATION_MARK = '"method":"programNotification"';
const PUBKEY_MARK = '"value":{"pubkey":"';
/** Where the method name may start: after `{"jsonrpc":"2.0",`. */
const NOTIFICATION_MARK_WITHIN = 64;

/** The notified account's address when `raw` is a compact program notification (what
 * Agave and the local cluster send); undefined for anything else, which is parsed. */
export function notifiedAccount(raw: string): string | undefined {
  const method = raw.indexOf(NOTIFICATION_MARK);
  if (method < 0 || method > NOTIFICATION_MARK_WITHIN) return undefined;
  const start = raw.indexOf(PUBKEY_MARK, method);
  if (start < 0) return undefined;
  const from = start + PUBKEY_MARK.length;
  const end = raw.indexOf('"', from);
  return end < 0 ? undefined : raw.slice(from, end);
}

/** `JSON.parse`, except that a program notification for an account `keepsAccount`
 * rejects becomes `{}` (no method, no id: neither a notification nor an answer). */
export function parseKept(keepsAccount?: (address: string) => boolean): (raw: unknown) => unknown {
  return (raw) => {
    if (keepsAccount && typeof raw === 'string') {
      const account = notifiedAccount(raw);
      if (account !== undefined && !keepsAccount(account)) return {};
    }
    return JSON.parse(raw as string);
  };
}

/** Subscriptions to `wsUrl` whose messages are parsed with `JSON.parse`, program
 * notifications for accounts not kept dropped unparsed. */
export function programSubscriptions(wsUrl: string, options: SubscriptionOptions = {}) {
  const parse = parseKept(options.keepsAccount);
  const createChannel = getChannelPoolingChannelCreator(
    ({ abortSignal }) =>
      createWebSocketChannel({ url: wsUrl, sendBufferHighWatermark: SEND_BUFFER_HIGH_WATERMARK, signal: abortSignal }).then((socket) =>
        getRpcSubscriptionsChannelWithAutoping({
          abortSignal,
          channel: transformChannelOutboundMessages(transformChannelInboundMessages(socket, parse), JSON.stringify),
          intervalMs: PING_INTERVAL_MS,
        }),
      ),
    { maxSubscriptionsPerChannel: MAX_SUBSCRIPTIONS_PER_CHANNEL, minChannels: 1 },
  );
  return createSolanaRpcSubscriptionsFromTransport(createDefaultRpcSubscriptionsTransport({ createChannel }));
}
