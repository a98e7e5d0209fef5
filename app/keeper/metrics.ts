/**
 * Prometheus metrics and the `/metrics` and `/healthz` endpoints.
 *
 * Every transaction the keeper sends ends in exactly one of landed, failed or expired,
 * so for each kind `sent = landed + failed + expired + in flight`, counted both in
 * transactions (`strata_keeper_transactions_*`) and in the positions they carry
 * (`strata_keeper_liquidations_*`). Labels are short enumerations: the action kind,
 * a failure's name (see failures.ts), a skip reason, an RPC method and error kind.
 *
 * `/healthz` answers 200 while the last completed scan is at most `maxScanAgeMs` old
 * (the keeper passes five poll intervals), 503 otherwise, including before the first.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class KeeperMetrics {
  readonly registry = new Registry();
  private readonly counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `strata_keeper_${name}`, help, labelNames, registers: [this.registry] });

  readonly positionsScanned = this.counter('positions_scanned_total', 'Positions read and valued');
  readonly positionsValued = this.counter('positions_valued_total', "Positions' healths computed (the rest were the same market and reading: taken from the cache)");
  readonly unhealthy = new Gauge({ name: 'strata_keeper_unhealthy_positions', help: 'Liquidatable positions at the last scan', registers: [this.registry] });
  readonly sent = this.counter('liquidations_sent_total', 'Positions in transactions sent, by kind', ['kind']);
  readonly landed = this.counter('liquidations_landed_total', 'Positions in transactions that landed, by kind', ['kind']);
  readonly failed = this.counter('liquidations_failed_total', 'Positions in transactions refused or failed on-chain, by kind and reason', ['kind', 'reason']);
  readonly expired = this.counter('liquidations_expired_total', 'Positions in transactions whose blockhash expired first, by kind', ['kind']);
  readonly transactionsSent = this.counter('transactions_sent_total', 'Transactions sent, by kind', ['kind']);
  readonly transactionsLanded = this.counter('transactions_landed_total', 'Transactions that landed, by kind', ['kind']);
  readonly transactionsFailed = this.counter('transactions_failed_total', 'Transactions refused or failed on-chain, by kind and reason', ['kind', 'reason']);
  readonly transactionsExpired = this.counter('transactions_expired_total', 'Transactions whose blockhash expired before they landed, by kind', ['kind']);
  readonly inFlight = new Gauge({ name: 'strata_keeper_transactions_in_flight', help: 'Transactions sent whose outcome is not known yet', registers: [this.registry] });
  readonly actionsDropped = this.counter('actions_dropped_total', "Planned actions not yet being built when the next slot opened, dropped (planned again in that slot's cycle)");
  readonly skipped = this.counter('positions_skipped_total', 'Liquidatable positions not acted on in a cycle, by reason', ['reason']);
  readonly recoveriesSkipped = this.counter('recoveries_skipped_total', 'Recovery sales of held collateral not made in a cycle (--recover), by reason', ['reason']);
  readonly recoveryNotes = this.counter('recovery_notes_total', 'Notes offered in recovery sales that landed, native units');
  readonly rpcErrors = this.counter('rpc_errors_total', 'RPC calls that failed (each attempt), by method and error kind', ['method', 'error']);
  readonly cycleFailures = this.counter('cycle_failures_total', 'Cycles whose scan failed after its retries');
  readonly scanSeconds = new Histogram({ name: 'strata_keeper_scan_seconds', help: 'Time to read and value the book', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  readonly latencySeconds = new Histogram({ name: 'strata_keeper_liquidation_latency_seconds', help: 'From send to confirmation', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [this.registry] });
  readonly bookNotifications = this.counter('book_notifications_total', 'Position updates applied from programSubscribe');
  readonly bookScans = this.counter('book_scans_total', 'Full getProgramAccounts scans of the book');
  readonly oracleWakes = this.counter('oracle_wakes_total', 'Cycles started by an oracle account notification');
  readonly lookupTables = new Gauge({ name: 'strata_keeper_lookup_tables', help: 'Address lookup tables the keeper batches with', registers: [this.registry] });
  readonly tablePositions = new Gauge({ name: 'strata_keeper_lookup_table_addresses', help: 'Addresses usable through its lookup tables (positions and fixed accounts)', registers: [this.registry] });
  readonly positionsWithoutTable = new Gauge({ name: 'strata_keeper_positions_without_table', help: "Indebted positions of its shards that no lookup table holds yet (legacy-sized batches)", registers: [this.registry] });
  readonly rehearsed = new Gauge({ name: 'strata_keeper_rehearsed', help: '1 once the keeper has rehearsed its liquidation path (planned, built and signed, nothing sent)', registers: [this.registry] });
  readonly shardsOwned = new Gauge({ name: 'strata_keeper_shards_owned', help: 'Shards this keeper acts for (its own and those taken over)', registers: [this.registry] });
  readonly heartbeatAt = new Gauge({ name: 'strata_keeper_heartbeat_timestamp_seconds', help: 'When this keeper last wrote its heartbeat', registers: [this.registry] });
  readonly takeovers = this.counter('shard_takeovers_total', 'Shards taken over from a keeper whose heartbeat stopped');
  /** When the last scan completed (ms since the epoch; 0: none yet). */
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
      const age = metrics.lastScanAt > 0 ? Date.now() - metrics.lastScanAt : null;
      const healthy = age !== null && age <= maxScanAgeMs;
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'stale', lastScanAgeMs: age, maxScanAgeMs }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}
