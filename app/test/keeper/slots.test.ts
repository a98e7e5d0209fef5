/**
 * The keeper's slot waker (keeper/slots.ts) against a WebSocket server that answers
 * `slotSubscribe` and pushes slot notifications: the slot known open follows the
 * notifications (never back), and is forgotten when the subscription is lost (a plan
 * then takes its slot from its own read, see read-ahead.ts).
 */
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

import { createLogger } from '../../keeper/log.js';
import { SlotWaker } from '../../keeper/slots.js';

const SUBSCRIPTION = 3;
const slotNotification = (slot: number) =>
  `{"jsonrpc":"2.0","method":"slotNotification","params":{"result":{"slot":${slot},"parent":${slot - 1},"root":${slot - 1}},"subscription":${SUBSCRIPTION}}}`;

describe('the slot known open', () => {
  let server: WebSocketServer;
  let url = '';
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('message', (data) => {
        const request = JSON.parse(data.toString()) as { id: string; method: string };
        if (request.method === 'slotSubscribe') socket.send(`{"jsonrpc":"2.0","result":${SUBSCRIPTION},"id":${JSON.stringify(request.id)}}`);
      });
    });
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('follows slot notifications, never back, and is forgotten with the subscription', async () => {
    const stop = new AbortController();
    const waker = new SlotWaker(url, stop.signal, createLogger('silent'), { silenceMs: 60_000, retryDelayMs: 60_000 });
    try {
      // Nothing heard yet: no slot is known open.
      await vi.waitFor(() => expect(sockets.length).toBe(1), { timeout: 5_000, interval: 10 });
      expect(waker.openSlot).toBeUndefined();

      // The subscription is answered once its request arrived.
      await vi.waitFor(
        () => {
          sockets[0]!.send(slotNotification(10));
          expect(waker.openSlot).toBe(10n);
        },
        { timeout: 5_000, interval: 20 },
      );
      // That notification wakes the next wait at once.
      await waker.next(60_000);
      sockets[0]!.send(slotNotification(12));
      await vi.waitFor(() => expect(waker.openSlot).toBe(12n), { timeout: 5_000, interval: 10 });
      // A late notification of an earlier slot does not take it back: the wait after
      // the notifications already seen ends once 11 is handled.
      await waker.next(0);
      sockets[0]!.send(slotNotification(11));
      await waker.next(60_000);
      expect(waker.openSlot).toBe(12n);

      // The connection is lost: no slot is known open until a new subscription speaks.
      sockets[0]!.terminate();
      await vi.waitFor(() => expect(waker.openSlot).toBeUndefined(), { timeout: 5_000, interval: 10 });
    } finally {
      stop.abort();
    }
  });
});
