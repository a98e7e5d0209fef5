// Activity: a live feed of the pool's events (liquidations, absorptions, distributions,
// redemptions, oracle refreshes, and the rest on demand) from the program's logs.
import { useState } from 'react';

import { explorerTx } from '../config.js';
import { duration, short } from '../format.js';
import { describe, EVENT_KINDS, type EventKind } from '../model/events.js';
import { trancheName } from '../model/tranches.js';
import { useApp } from '../state.js';

const DEFAULT_KINDS: EventKind[] = ['liquidation', 'absorption', 'distribution', 'redemption', 'oracle'];

export function ActivityView() {
  const { activity, snapshot, config, collateralName } = useApp();
  const [kinds, setKinds] = useState<EventKind[]>(DEFAULT_KINDS);
  if (!snapshot) return null;
  const names = {
    collateral: collateralName,
    decimals: (i: number) => snapshot.pool.collaterals[i]?.decimals ?? 0,
    tranche: (i: number) => trancheName(i, snapshot.pool.trancheCount),
  };
  const lines = activity.entries.map((entry) => ({ entry, ...describe(entry.event, names) })).filter((l) => kinds.includes(l.kind));
  const { history, live } = activity.sources;
  return (
    <>
      <h2 id="feed-title">Events</h2>
      <p data-testid="feed-sources" data-history={history} data-live={live}>
        {history ? 'History from getSignaturesForAddress' : 'This RPC does not serve getSignaturesForAddress (no history)'};{' '}
        {live ? 'live from a logsSubscribe on the program.' : 'it does not serve logsSubscribe either: the feed shows the transactions this page lands.'}
      </p>
      <fieldset className="kinds">
        <legend>Show</legend>
        {EVENT_KINDS.map((kind) => (
          <label key={kind}>
            <input type="checkbox" checked={kinds.includes(kind)} onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))} /> {kind}
          </label>
        ))}
      </fieldset>
      {lines.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="feed" data-testid="feed">
          {lines.map(({ entry, kind, text }, i) => (
            <li key={`${entry.signature}-${i}`} data-kind={kind} data-event={entry.event.name}>
              <span className={`tag ${kind}`}>{kind}</span> {text}{' '}
              <span className="muted">
                {entry.blockTime !== null ? `${duration(snapshot.now - entry.blockTime)} ago · ` : ''}
                <a href={explorerTx(config.rpcUrl, entry.signature)} target="_blank" rel="noreferrer">{short(entry.signature)}</a>
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
