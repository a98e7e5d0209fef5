/**
 * The slot waker (keeper/slots.ts) against a fake WebSocket server: every slot
 * notification calls `onSlot` (the keeper drops its unsent line there) before the
 * cycle it starts, and a poke starts a cycle without calling it.
 */
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';

import { createLogger } from '../../keeper/log.js';
import { SlotWaker } from '../../keeper/slots.js';

const quiet = createLogger('silent');
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slot waker', () => {
  let server: WebSocketServer;
  let url = '';
  /** Sends a slot notification, once the waker subscribed. */
  let subscribed: Promise<(slot: number) => void>;
  let stop: AbortController;

  beforeEach(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    subscribed = new Promise((resolve) =>
      server.once('connection', (socket: WebSocket) =>
        socket.on('message', (data) => {
          const request = JSON.parse(data.toString()) as { id: number; method: string };
          if (request.method !== 'slotSubscribe') return;
          socket.send(JSON.stringify({ jsonrpc: '2.0', result: 3, id: request.id }));
          // Kit listens for notifications once it has the subscription's id.
          setTimeout(
            () => resolve((slot) => socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'slotNotification', params: { result: { parent: slot - 1, root: slot - 2, slot }, subscription: 3 } }))),
            50,
          );
        }),
      ),
    );
    stop = new AbortController();
  });
  afterEach(async () => {
    stop.abort();
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('calls onSlot on every slot notification, before the cycle it starts, and not on a poke', async () => {
    const slots = new SlotWaker(url, stop.signal, quiet, { silenceMs: 5_000, retryDelayMs: 100 });
    const events: string[] = [];
    slots.onSlot = () => events.push('slot');
    const notify = await subscribed;
    const waiting = slots.next(5_000).then(() => events.push('cycle'));
    notify(10);
    await waiting;
    expect(events).toEqual(['slot', 'cycle']);
    // Two slots while no wait runs: one call each, and the next wait ends at once.
    notify(11);
    notify(12);
    await tick(50);
    expect(events).toEqual(['slot', 'cycle', 'slot', 'slot']);
    await slots.next(5_000);
    slots.poke();
    await slots.next(5_000);
    expect(events.filter((event) => event === 'slot')).toHaveLength(3);
  });
});
