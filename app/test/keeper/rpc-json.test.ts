/**
 * The keeper's RPC client parses answers with `JSON.parse` (keeper/rpc.ts): the same
 * types as kit's default client, requests still exact, HTTP failures still readable.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { address, lamports } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { httpStatus, retryAfterMs } from '../../keeper/failures.js';
import { createKeeperRpc } from '../../keeper/rpc.js';

const bodies: string[] = [];
let answer: (request: { method: string }, response: ServerResponse) => void;
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    bodies.push(body);
    answer(JSON.parse(body) as { method: string; id: number }, response);
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const rpc = () => createKeeperRpc(url, { timeoutMs: 2_000 });
const json = (response: ServerResponse, id: number, result: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));

describe('the keeper RPC client', () => {
  it('gives numbers as big integers, as kit does', async () => {
    answer = (request, response) =>
      json(response, (request as { id: number } & typeof request).id, { context: { slot: 312 }, value: [{ slot: 311, confirmations: null, err: null, confirmationStatus: 'confirmed' }] });
    const { context, value } = await rpc().getSignatureStatuses(['1111111111111111111111111111111111111111111111111111111111111111' as never]).send();
    expect(context.slot).toBe(312n);
    expect(value[0]?.slot).toBe(311n);
  });

  it('sends big integers exactly (kit refuses any above 2^53 before sending)', async () => {
    answer = (request, response) => json(response, (request as { id: number } & typeof request).id, '1111111111111111111111111111111111111111111111111111111111111111');
    await rpc().requestAirdrop(address('11111111111111111111111111111111'), lamports(2n ** 53n - 1n)).send();
    expect(JSON.parse(bodies.at(-1)!).params[1]).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('keeps an HTTP failure readable: its status and Retry-After', async () => {
    answer = (_, response) => response.writeHead(429, { 'retry-after': '2' }).end('Too Many Requests');
    const error = await rpc().getSlot().send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(httpStatus(error)).toBe(429);
    expect(retryAfterMs(error)).toBe(2_000);
  });
});
