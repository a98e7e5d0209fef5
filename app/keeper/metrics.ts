/**
 * Prometheus metrics and the `/metrics` and `/healthz` endpoints. Healthy means a
 * scan completed within the last few poll intervals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class KeeperMetrics {
  readonly registry = new Registry();
  readonly positionsScanned = new Counter({ name: 'strata_keeper_positions_scanned_total', help: 'Positions read and valued', registers: [this.registry] });
  readonly unhealthy = new Gauge({ name: 'strata_keeper_unhealthy_positions', help: 'Liquidatable positions at the last scan', registers: [this.registry] });
  readonly sent = new Counter({ name: 'strata_keeper_liquidations_sent_total', help: 'Liquidations sent (positions), by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly landed = new Counter({ name: 'strata_keeper_liquidations_landed_total', help: 'Liquidations confirmed (positions), by kind', labelNames: ['kind'], registers: [this.registry] });
  readonly failed = new Counter({ name: 'strata_keeper_liquidations_failed_total', help: 'Liquidation transactions that failed or expired', labelNames: ['kind', 'reason'], registers: [this.registry] });
  readonly skipped = new Counter({ name: 'strata_keeper_positions_skipped_total', help: 'Unhealthy positions not acted on, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly rpcErrors = new Counter({ name: 'strata_keeper_rpc_errors_total', help: 'RPC calls that failed (before retries)', labelNames: ['method'], registers: [this.registry] });
  readonly scanSeconds = new Histogram({ name: 'strata_keeper_scan_seconds', help: 'Time to read and value the book', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  readonly latencySeconds = new Histogram({ name: 'strata_keeper_liquidation_latency_seconds', help: 'From send to confirmation', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [this.registry] });
  lastScanAt = 0;
}

/** Serves `/metrics` and `/healthz` on 127.0.0.1:`port`; resolves once listening. */
export async function serveMetrics(metrics: KeeperMetrics, port: number, maxScanAgeMs: number): Promise<Server & { port: number }> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      void metrics.registry.metrics().then((body) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(body);
      });
      return;
    }
    if (request.url === '/healthz') {
      const age = Date.now() - metrics.lastScanAt;
      const healthy = metrics.lastScanAt > 0 && age <= maxScanAgeMs;
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'stale', lastScanAgeMs: metrics.lastScanAt > 0 ? age : null }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}
