// Wallets through the Wallet Standard: every wallet that registers itself in the page
// (Phantom, Solflare, Backpack, or a test wallet) is discovered with `useWallets`; the
// ones that can sign Solana transactions are offered; the connected account signs
// through `@solana/react`'s transaction signer (`solana:signTransaction`).
import { useWalletAccountTransactionSigner } from '@solana/react';
import type { TransactionSigner } from '@solana/kit';
import type { UiWallet, UiWalletAccount } from '@wallet-standard/react';
import { useConnect, useDisconnect, useWallets } from '@wallet-standard/react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

const SIGN_TRANSACTION = 'solana:signTransaction';

export type WalletState = {
  /** Wallets that can connect and sign Solana transactions. */
  wallets: readonly UiWallet[];
  wallet: UiWallet | null;
  account: UiWalletAccount | null;
  signer: TransactionSigner | null;
  /** The connected account does not declare the page's cluster (its chain). */
  unsupportedChain: `solana:${string}` | null;
  select(wallet: UiWallet, account: UiWalletAccount): void;
  clear(): void;
};

const WalletContext = createContext<WalletState | null>(null);

export function useWallet(): WalletState {
  const state = useContext(WalletContext);
  if (!state) throw new Error('useWallet outside WalletProvider');
  return state;
}

/** Holds the signer hook, which needs an account, outside the tree it serves. */
function SignerBridge({ account, chain, onSigner }: { account: UiWalletAccount; chain: `solana:${string}`; onSigner(signer: TransactionSigner): void }) {
  const signer = useWalletAccountTransactionSigner(account, chain);
  useEffect(() => onSigner(signer), [signer, onSigner]);
  return null;
}

export function WalletProvider({ chain, children }: { chain: `solana:${string}`; children: ReactNode }) {
  const all = useWallets();
  const wallets = useMemo(() => all.filter((w) => w.features.includes(SIGN_TRANSACTION) && w.features.includes('standard:connect')), [all]);
  const [selected, setSelected] = useState<{ wallet: UiWallet; account: UiWalletAccount } | null>(null);
  const [signer, setSigner] = useState<TransactionSigner | null>(null);
  const select = useCallback((wallet: UiWallet, account: UiWalletAccount) => {
    setSigner(null);
    setSelected({ wallet, account });
  }, []);
  const clear = useCallback(() => {
    setSigner(null);
    setSelected(null);
  }, []);
  // A wallet that disconnects or unregisters takes its account with it.
  useEffect(() => {
    if (!selected) return;
    const current = wallets.find((w) => w.name === selected.wallet.name);
    if (!current || !current.accounts.some((a) => a.address === selected.account.address)) clear();
  }, [wallets, selected, clear]);
  // The signer hook throws for an account that does not declare the chain.
  const supported = selected ? selected.account.chains.includes(chain) : true;
  const value = useMemo<WalletState>(
    () => ({ wallets, wallet: selected?.wallet ?? null, account: selected?.account ?? null, signer, unsupportedChain: supported ? null : chain, select, clear }),
    [wallets, selected, signer, supported, chain, select, clear],
  );
  return (
    <WalletContext.Provider value={value}>
      {selected && supported ? <SignerBridge account={selected.account} chain={chain} onSigner={setSigner} /> : null}
      {children}
    </WalletContext.Provider>
  );
}

/** Connect with one wallet (a button), or disconnect it. */
export function ConnectButton({ wallet }: { wallet: UiWallet }) {
  const { select } = useWallet();
  const [connecting, connect] = useConnect(wallet);
  const [error, setError] = useState<string>();
  return (
    <span>
      <button
        type="button"
        disabled={connecting}
        onClick={async () => {
          setError(undefined);
          try {
            const accounts = await connect();
            const account = accounts[0] ?? wallet.accounts[0];
            if (account) select(wallet, account);
            else setError('the wallet gave no account');
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        {wallet.icon ? <img src={wallet.icon} alt="" width={16} height={16} /> : null} Connect {wallet.name}
      </button>
      {error ? <span role="alert" className="error"> {error}</span> : null}
    </span>
  );
}

export function DisconnectButton({ wallet }: { wallet: UiWallet }) {
  const { clear } = useWallet();
  const [disconnecting, disconnect] = useDisconnect(wallet);
  return (
    <button
      type="button"
      disabled={disconnecting}
      onClick={async () => {
        try {
          await disconnect();
        } finally {
          clear();
        }
      }}
    >
      Disconnect
    </button>
  );
}
