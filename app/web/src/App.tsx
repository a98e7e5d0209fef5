// The page: a header (pool, settings, live mode, wallet), the views' navigation (hash
// routes, so every view has a link and works by keyboard), and the view.
import type { Address } from '@solana/kit';
import { createSolanaRpc } from '@solana/kit';
import { useEffect, useState } from 'react';

import { findPools } from './chain/snapshot.js';
import { chainFor, type WebConfig } from './config.js';
import { Header } from './Header.js';
import { AppProvider, useApp } from './state.js';
import { ActivityView } from './views/ActivityView.js';
import { PoolView } from './views/PoolView.js';
import { PositionsView } from './views/PositionsView.js';
import { StressView } from './views/StressView.js';
import { TranchesView } from './views/TranchesView.js';
import { WalletProvider } from './wallet/WalletContext.js';

export const VIEWS = [
  { id: 'pool', title: 'Pool', View: PoolView },
  { id: 'tranches', title: 'Tranches', View: TranchesView },
  { id: 'positions', title: 'Positions', View: PositionsView },
  { id: 'activity', title: 'Activity', View: ActivityView },
  { id: 'stress', title: 'Stress', View: StressView },
] as const;

const routeOf = (hash: string) => VIEWS.find((v) => `#/${v.id}` === hash)?.id ?? 'pool';

function useRoute(): string {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function Main() {
  const route = useRoute();
  const { live, pool } = useApp();
  const view = VIEWS.find((v) => v.id === route)!;
  useEffect(() => {
    document.title = `${view.title} · Strata`;
  }, [view.title]);
  return (
    <>
      <nav aria-label="Views">
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <a href={`#/${v.id}`} aria-current={v.id === route ? 'page' : undefined}>
                {v.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} data-view={view.id}>
        <h1>{view.title}</h1>
        {!pool ? (
          <p>Looking for Strata pools on this cluster…</p>
        ) : live.error && !live.snapshot ? (
          <p role="alert" className="error">Cannot read the pool: {live.error}</p>
        ) : !live.snapshot ? (
          <p>Reading the pool…</p>
        ) : (
          <view.View />
        )}
      </main>
    </>
  );
}

export function App({ initial }: { initial: WebConfig }) {
  const [config, setConfig] = useState(initial);
  const [pools, setPools] = useState<Address[]>(initial.pool ? [initial.pool] : []);
  const [pool, setPool] = useState<Address | undefined>(initial.pool);
  useEffect(() => {
    let cancelled = false;
    findPools(createSolanaRpc(config.rpcUrl)).then(
      (found) => {
        if (cancelled) return;
        const all = config.pool && !found.includes(config.pool) ? [config.pool, ...found] : found;
        setPools(all);
        setPool((current) => current ?? all[0]);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [config.rpcUrl, config.pool]);
  return (
    <WalletProvider chain={chainFor(config.rpcUrl)}>
      <AppProvider config={config} pool={pool}>
        <a className="skip" href="#main">Skip to the view</a>
        <Header pools={pools} onPool={setPool} onConfig={(next) => (setConfig(next), setPool(next.pool))} />
        <Main />
      </AppProvider>
    </WalletProvider>
  );
}
