// React hooks over the chain readers: the live snapshot (re-read whenever `watch`
// signals a change) and the activity feed.
import { createSolanaRpc, type Address, type Rpc, type Signature, type SolanaRpcApi } from '@solana/kit';
import { positionAddress, trancheAddress } from '@strata/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { history, subscribeLogs, transactionEntries, type FeedEntry, type FeedSources } from './activity.js';
import { watch, type LiveMode } from './live.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

export function useRpc(rpcUrl: string): Rpc<SolanaRpcApi> {
  return useMemo(() => createSolanaRpc(rpcUrl), [rpcUrl]);
}

export type Live = { snapshot: Snapshot | null; error: string | null; mode: LiveMode; reads: number };

export function useSnapshot(rpc: Rpc<SolanaRpcApi>, wsUrl: string, pool: Address | undefined, wallet: Address | null): Live {
  const [state, setState] = useState<Live>({ snapshot: null, error: null, mode: 'connecting', reads: 0 });
  useEffect(() => {
    if (!pool) return;
    const abort = new AbortController();
    let running = false;
    let again = false;
    let latest: Snapshot | null = null;
    const read = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const snapshot = await readSnapshot(rpc, pool, wallet, abort.signal);
        latest = snapshot;
        if (!abort.signal.aborted) setState((s) => ({ ...s, snapshot, error: null, reads: s.reads + 1 }));
      } catch (error) {
        if (!abort.signal.aborted) setState((s) => ({ ...s, error: (error as Error).message }));
      } finally {
        running = false;
        if (again && !abort.signal.aborted) {
          again = false;
          void read();
        }
      }
    };
    setState({ snapshot: null, error: null, mode: 'connecting', reads: 0 });
    const first = read();
    void (async () => {
      const watched: Address[] = [pool, ...(await Promise.all([0, 1, 2, 3].map((i) => trancheAddress(pool, i))))];
      if (wallet) watched.push(await positionAddress(pool, wallet), wallet);
      // The collaterals' oracle accounts too: a price update moves what every view shows.
      await first;
      const current = latest as Snapshot | null; // set by read(), which TS cannot see
      const listed = current?.pool.collaterals.slice(0, current.pool.collateralCount) ?? [];
      watched.push(...new Set(listed.map((c) => c.oracle)));
      watch({ wsUrl, watched, onChange: read, onMode: (mode) => setState((s) => ({ ...s, mode })), signal: abort.signal });
    })();
    return () => abort.abort();
  }, [rpc, wsUrl, pool, wallet]);
  return state;
}

export type Activity = { entries: FeedEntry[]; sources: FeedSources; addOwn(signature: Signature): void };

const MAX_ENTRIES = 200;

/** An event of a transaction, the same whichever source reported it. */
const entryKey = (e: FeedEntry): string =>
  `${e.signature}:${e.event.name}:${JSON.stringify(e.event.data, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`;

export function useActivity(rpc: Rpc<SolanaRpcApi>, wsUrl: string, pool: Address | undefined): Activity {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const [sources, setSources] = useState<FeedSources>({ history: false, live: false });
  const poolRef = useRef(pool);
  poolRef.current = pool;
  const add = useCallback((more: FeedEntry[]) => {
    setEntries((current) => {
      const seen = new Set(current.map(entryKey));
      const fresh = more.filter((e) => !seen.has(entryKey(e)));
      if (fresh.length === 0) return current;
      return [...fresh, ...current].sort((a, b) => (a.slot > b.slot ? -1 : a.slot < b.slot ? 1 : 0)).slice(0, MAX_ENTRIES);
    });
  }, []);
  useEffect(() => {
    if (!pool) return;
    const abort = new AbortController();
    setEntries([]);
    void (async () => {
      const live = await subscribeLogs(wsUrl, pool, add, abort.signal);
      const past = await history(rpc, pool, abort.signal);
      if (abort.signal.aborted) return;
      setSources({ history: past !== null, live });
      if (past) add(past);
    })();
    return () => abort.abort();
  }, [rpc, wsUrl, pool, add]);
  const addOwn = useCallback(
    (signature: Signature) => {
      const current = poolRef.current;
      if (!current) return;
      void transactionEntries(rpc, signature, current).then(add, () => undefined);
    },
    [rpc, add],
  );
  return { entries, sources, addOwn };
}
