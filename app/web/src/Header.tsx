// The header: the pool shown, where the page reads from (editable), how it stays live,
// the cluster's slot and clock, and the wallet.
import type { Address } from '@solana/kit';
import { useState } from 'react';

import { mergeConfig, saveSettings, type WebConfig } from './config.js';
import { short } from './format.js';
import { useApp } from './state.js';
import { ConnectButton, DisconnectButton, useWallet } from './wallet/WalletContext.js';

function Settings({ onConfig }: { onConfig(config: WebConfig): void }) {
  const { config } = useApp();
  const [rpcUrl, setRpcUrl] = useState(config.rpcUrl);
  const [pool, setPool] = useState(config.pool ?? '');
  return (
    <details className="settings">
      <summary>Cluster</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const next = { rpcUrl, pool: pool || undefined };
          saveSettings(next);
          onConfig(mergeConfig(next, { names: config.names }));
        }}
      >
        <label>
          RPC URL <input value={rpcUrl} onChange={(e) => setRpcUrl(e.target.value)} inputMode="url" />
        </label>
        <label>
          Pool <input value={pool} onChange={(e) => setPool(e.target.value)} placeholder="first pool found" />
        </label>
        <button type="submit">Use</button>
      </form>
    </details>
  );
}

function WalletArea() {
  const { wallets, wallet, account, unsupportedChain } = useWallet();
  if (wallet && account) {
    return (
      <div className="wallet" data-testid="wallet" data-address={account.address}>
        <span title={account.address}>
          {wallet.name}: {short(account.address)}
        </span>{' '}
        {unsupportedChain ? <span className="error" role="alert">this account does not sign for {unsupportedChain}</span> : null}
        <DisconnectButton wallet={wallet} />
      </div>
    );
  }
  return (
    <div className="wallet" data-testid="wallet">
      {wallets.length === 0 ? <span className="muted">No Wallet Standard wallet found in this browser</span> : wallets.map((w) => <ConnectButton key={w.name} wallet={w} />)}
    </div>
  );
}

export function Header({ pools, onPool, onConfig }: { pools: Address[]; onPool(pool: Address): void; onConfig(config: WebConfig): void }) {
  const { pool, live } = useApp();
  return (
    <header>
      <strong className="brand">Strata</strong>
      <label className="pool-picker">
        Pool{' '}
        <select value={pool ?? ''} onChange={(e) => onPool(e.target.value as Address)} data-testid="pool-select">
          {pools.map((p) => (
            <option key={p} value={p}>
              {short(p)}
            </option>
          ))}
        </select>
      </label>
      <span className="live" data-testid="live-mode" data-mode={live.mode} data-slot={live.snapshot?.slot.toString()} data-now={live.snapshot?.now.toString()} title="How the page follows the chain">
        ● {live.mode}
        {live.snapshot ? ` · slot ${live.snapshot.slot}` : ''}
      </span>
      {live.error && live.snapshot ? <span className="error" role="status">stale: {live.error}</span> : null}
      <Settings onConfig={onConfig} />
      <WalletArea />
    </header>
  );
}
