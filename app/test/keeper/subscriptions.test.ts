/**
 * The keeper's program subscriptions (keeper/subscriptions.ts): notifications for
 * accounts the keeper keeps arrive as kit gives them; those for accounts it does not
 * keep are dropped before they are parsed; anything the raw check cannot read is
 * parsed and delivered (the book filters it again).
 */
import type { AddressInfo } from 'node:net';

import { address } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

import { notifiedAccount, parseKept, programSubscriptions } from '../../keeper/subscriptions.js';

const KEPT = 'SysvarC1ock11111111111111111111111111111111';
const OTHER = 'SysvarRent111111111111111111111111111111111';
const PROGRAM = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');

/** A program notification as Agave and the local cluster write it (compact). */
const notification = (pubkey: string, slot: number, subscription = 7) =>
  `{"jsonrpc":"2.0","method":"programNotification","params":{"result":{"context":{"slot":${slot}},"value":{"pubkey":"${pubkey}","account":{"data":["AQID","base64"],"executable":false,"lamports":1,"owner":"${PROGRAM}","rentEpoch":0,"space":3}}},"subscription":${subscription}}}`;

describe('reading the notified account from the raw text', () => {
  it('finds the address of a compact program notification', () => {
    expect(notifiedAccount(notification(KEPT, 5))).toBe(KEPT);
  });

  it('finds none in an answer, another kind of notification, or a message written differently', () => {
    expect(notifiedAccount('{"jsonrpc":"2.0","result":7,"id":1}')).toBeUndefined();
    expect(notifiedAccount(notification(KEPT, 5).replace('programNotification', 'accountNotification'))).toBeUndefined();
    expect(notifiedAccount(JSON.stringify(JSON.parse(notification(KEPT, 5)), null, 1))).toBeUndefined();
  });
});

describe('parsing with a keeper’s filter', () => {
  const parse = parseKept((account) => account === KEPT);

  it('drops a notification for an account not kept without parsing it (a broken tail does not throw)', () => {
    const broken = notification(OTHER, 5).slice(0, -10);
    expect(parse(broken)).toEqual({});
    expect(() => parse(notification(KEPT, 5).slice(0, -10))).toThrow(SyntaxError);
  });

  it('parses kept notifications, answers and unreadable ones as JSON.parse does', () => {
    for (const raw of [notification(KEPT, 5), '{"jsonrpc":"2.0","result":7,"id":1}', JSON.stringify(JSON.parse(notification(OTHER, 5)), null, 1)]) {
      expect(parse(raw)).toEqual(JSON.parse(raw));
    }
  });

  it('parses everything without a filter', () => {
    expect(parseKept()(notification(OTHER, 5))).toEqual(JSON.parse(notification(OTHER, 5)));
  });
});

describe('program subscriptions through a WebSocket', () => {
  let server: WebSocketServer;
  let url = '';
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    for (const client of server.clients) client.terminate();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers the kept account’s notifications and the unreadable one, not the others', async () => {
    // The server answers the subscription, then notifies: another account, the kept
    // one, another account written with spaces (not recognised raw, so delivered), and
    // the kept one again. Kit listens for a subscription's notifications once it has
    // its id: they follow the answer a moment later, as a node's do.
    server.once('connection', (socket: WebSocket) =>
      socket.on('message', (data) => {
        const request = JSON.parse(data.toString()) as { id: number; method: string };
        if (request.method !== 'programSubscribe') return;
        socket.send(JSON.stringify({ jsonrpc: '2.0', result: 7, id: request.id }));
        setTimeout(() => {
          socket.send(notification(OTHER, 10));
          socket.send(notification(KEPT, 11));
          socket.send(JSON.stringify(JSON.parse(notification(OTHER, 12)), null, 1));
          socket.send(notification(KEPT, 13));
        }, 100);
      }),
    );
    const abort = new AbortController();
    const notifications = await programSubscriptions(url, { keepsAccount: (account) => account === KEPT })
      .programNotifications(PROGRAM, { encoding: 'base64' })
      .subscribe({ abortSignal: abort.signal });
    const seen: [string, bigint][] = [];
    for await (const { context, value } of notifications) {
      seen.push([value.pubkey, context.slot]);
      if (seen.length === 3) break;
    }
    abort.abort();
    expect(seen).toEqual([
      [KEPT, 11n],
      [OTHER, 12n],
      [KEPT, 13n],
    ]);
  });
});
