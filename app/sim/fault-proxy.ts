/**
 * A fault-injecting proxy between a keeper and a cluster: JSON-RPC over HTTP and
 * WebSocket subscriptions pass through, and a seeded plan decides which requests are
 * black-holed (never answered), throttled (HTTP 429), delayed, or reset. What a
 * keeper meets on a public RPC provider, reproducibly: the n-th request meets the
 * same fault in every run with the same seed (which request is the n-th depends on
 * timing, as with a real provider).
 *
 * The plan can change while the proxy runs (`setPlan`), so a test can take the RPC
 * down and bring it back. While `down`, no HTTP request is answered (those asked
 * then never will be, as with a provider that went dark) and WebSocket traffic
 * stops flowing (it resumes on recovery, as after a network partition).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import { getBase58Decoder } from '@solana/kit';

export type FaultPlan = {
  /** Seed of the stream that picks the faulted requests. */
  seed?: number;
  /** A fraction of requests is never answered; half of them (seeded) reach the
   * cluster first, as when an answer, not the question, is lost. */
  blackhole?: { fraction: number; methods?: readonly string[] };
  /** Requests of these methods are answered HTTP 429 without reaching the cluster. */
  throttle?: { methods: readonly string[]; fraction?: number; retryAfterSecs?: number };
  /** A fraction of answers is held back `minMs` to `maxMs`. */
  delay?: { fraction: number; minMs: number; maxMs: number; methods?: readonly string[] };
  /** A fraction of connections is reset; half of them (seeded) after the cluster saw the request. */
  reset?: { fraction: number; methods?: readonly string[] };
  /** No HTTP answer at all, no WebSocket traffic. */
  down?: boolean;
};

export type FaultKind = 'blackhole' | 'throttle' | 'delay' | 'reset' | 'down' | 'none';

export type ProxyStats = {
  requests: number;
  byMethod: Record<string, number>;
  faults: Record<FaultKind, number>;
};

/** A request as the proxy saw it, for `onRequest` hooks. */
export type SeenRequest = { method: string; body: string; fault: FaultKind; signature?: string };

export type FaultProxy = {
  url: string;
  wsUrl: string;
  setPlan(plan: FaultPlan): void;
  stats(): ProxyStats;
  /** Signatures of every `sendTransaction` that reached the proxy, in order, with repeats. */
  sentSignatures(): string[];
  /** Called for every request before it is forwarded; a returned promise holds it
   * until it resolves (a test can act while a request is in the air). */
  onRequest(hook: ((request: SeenRequest) => void | Promise<void>) | undefined): void;
  close(): Promise<void>;
};

/** mulberry32: small, fast, and the same stream for the same seed everywhere. */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const applies = (methods: readonly string[] | undefined, method: string) => methods === undefined || methods.includes(method);

/** The fee payer's signature (the transaction's id) of a base64 or base58 wire transaction. */
function signatureOf(wire: string, encoding: string | undefined): string | undefined {
  try {
    const bytes = encoding === 'base64' ? Buffer.from(wire, 'base64') : undefined;
    if (!bytes || bytes.length < 65 || bytes[0] === 0) return undefined;
    return getBase58Decoder().decode(bytes.subarray(1, 65));
  } catch {
    return undefined;
  }
}

export async function startFaultProxy(upstream: string, options: { plan?: FaultPlan; upstreamWs?: string } = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const wsTarget = new URL(options.upstreamWs ?? upstream.replace(/^http/, 'ws'));
  let plan: FaultPlan = options.plan ?? {};
  let draw = uniform(plan.seed ?? 1);
  let hook: ((request: SeenRequest) => void | Promise<void>) | undefined;
  const stats: ProxyStats = { requests: 0, byMethod: {}, faults: { blackhole: 0, throttle: 0, delay: 0, reset: 0, down: 0, none: 0 } };
  const signatures: string[] = [];
  const sockets = new Set<Socket>();
  // WebSocket bytes held while the plan says `down`, delivered on recovery.
  let heldWhileDown: (() => void)[] = [];

  const forward = (body: string, headers: IncomingMessage['headers']) =>
    new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const upstreamRequest = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': headers['content-type'] ?? 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: { 'content-type': String(response.headers['content-type'] ?? 'application/json') }, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      upstreamRequest.on('error', reject);
      upstreamRequest.end(body);
    });

  /** The fault for one request: every request draws the same four numbers, so the
   * n-th request's fault depends on the seed and n alone. */
  const decide = (method: string): { fault: FaultKind; reachesCluster: boolean; delayMs: number } => {
    const [a, b, c, d] = [draw(), draw(), draw(), draw()];
    if (plan.down) return { fault: 'down', reachesCluster: false, delayMs: 0 };
    if (plan.throttle && applies(plan.throttle.methods, method) && a < (plan.throttle.fraction ?? 1)) return { fault: 'throttle', reachesCluster: false, delayMs: 0 };
    if (plan.blackhole && applies(plan.blackhole.methods, method) && b < plan.blackhole.fraction) return { fault: 'blackhole', reachesCluster: d < 0.5, delayMs: 0 };
    if (plan.reset && applies(plan.reset.methods, method) && c < plan.reset.fraction) return { fault: 'reset', reachesCluster: d < 0.5, delayMs: 0 };
    if (plan.delay && applies(plan.delay.methods, method) && d < plan.delay.fraction) {
      // d is below the fraction: rescale it to spread the delays over the range.
      return { fault: 'delay', reachesCluster: true, delayMs: plan.delay.minMs + (d / plan.delay.fraction) * (plan.delay.maxMs - plan.delay.minMs) };
    }
    return { fault: 'none', reachesCluster: true, delayMs: 0 };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    let method = '(unparsable)';
    let signature: string | undefined;
    try {
      const payload = JSON.parse(body) as { method?: string; params?: unknown[] };
      method = payload.method ?? method;
      if (method === 'sendTransaction' && typeof payload.params?.[0] === 'string') {
        signature = signatureOf(payload.params[0], (payload.params[1] as { encoding?: string } | undefined)?.encoding);
      }
    } catch {
      // Passed through as it is: the cluster answers bad JSON itself.
    }
    stats.requests += 1;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    const { fault, reachesCluster, delayMs } = decide(method);
    stats.faults[fault] += 1;
    if (signature) signatures.push(signature);
    await hook?.({ method, body, fault, signature });

    if (fault === 'throttle') {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(plan.throttle?.retryAfterSecs ?? 1) });
      response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: 429, message: 'Too many requests for a specific RPC call' }, id: null }));
      return;
    }
    if (fault === 'reset' && !reachesCluster) {
      request.socket.destroy();
      return;
    }
    if (fault === 'down' || (fault === 'blackhole' && !reachesCluster)) return; // never answered; the client gives up
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(body, request.headers);
    } catch {
      response.writeHead(502).end();
      return;
    }
    if (fault === 'blackhole') return;
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // An answer that comes back while the RPC is down is lost with it.
    if (plan.down || response.destroyed) return;
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // WebSocket: the upgrade request and every byte after it are piped to the cluster's
  // WebSocket port as they are; while `down`, both directions stop (bytes wait).
  server.on('upgrade', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const upstreamSocket = connect(Number(wsTarget.port), wsTarget.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstreamSocket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstreamSocket.write(head);
      const pipe = (from: Socket, to: Socket) =>
        from.on('data', (chunk: Buffer) => {
          if (!plan.down) {
            to.write(chunk);
            return;
          }
          from.pause();
          heldWhileDown.push(() => {
            to.write(chunk);
            from.resume();
          });
        });
      pipe(client, upstreamSocket);
      pipe(upstreamSocket, client);
    });
    sockets.add(upstreamSocket);
    sockets.add(client);
    const closeBoth = () => {
      client.destroy();
      upstreamSocket.destroy();
    };
    for (const socket of [client, upstreamSocket]) {
      socket.once('close', () => {
        sockets.delete(socket);
        closeBoth();
      });
      socket.on('error', closeBoth);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    setPlan(next) {
      if (next.seed !== undefined && next.seed !== plan.seed) draw = uniform(next.seed);
      plan = next;
      if (!plan.down) {
        const release = heldWhileDown;
        heldWhileDown = [];
        for (const resume of release) resume();
      }
    },
    stats: () => structuredClone(stats),
    sentSignatures: () => [...signatures],
    onRequest(next) {
      hook = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
