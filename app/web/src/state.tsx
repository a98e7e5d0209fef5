// What every view reads: the settings, the RPC client, the live snapshot with the
// book valued once per reading, the activity feed, and a way to send a transaction
// with the connected wallet.
import type { Address, Instruction, Rpc, SolanaRpcApi, TransactionSigner } from '@solana/kit';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import type { TxState } from './components/TxStatus.js';
import type { Snapshot } from './chain/snapshot.js';
import { sendWithWallet, TransactionRefused } from './chain/send.js';
import { useActivity, useRpc, useSnapshot, type Activity, type Live } from './chain/useChain.js';
import type { WebConfig } from './config.js';
import { bookFigures, type PositionFigures } from './model/positions.js';
import { useWallet } from './wallet/WalletContext.js';

export type AppState = {
  config: WebConfig;
  pool: Address | undefined;
  rpc: Rpc<SolanaRpcApi>;
  live: Live;
  snapshot: Snapshot | null;
  book: PositionFigures[];
  activity: Activity;
  /** The name of a collateral (from the settings) or its shortened mint. */
  collateralName(index: number): string;
};

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}

export function AppProvider({ config, pool, children }: { config: WebConfig; pool: Address | undefined; children: ReactNode }) {
  const rpc = useRpc(config.rpcUrl);
  const { account } = useWallet();
  const live = useSnapshot(rpc, config.wsUrl, pool, (account?.address as Address | undefined) ?? null);
  const activity = useActivity(rpc, config.wsUrl, pool);
  const snapshot = live.snapshot;
  const book = useMemo(() => (snapshot ? bookFigures(snapshot) : []), [snapshot]);
  const collateralName = useCallback(
    (index: number) => {
      const mint = snapshot?.pool.collaterals[index]?.mint;
      if (!mint) return `#${index}`;
      return config.names[mint] ?? `${mint.slice(0, 4)}…`;
    },
    [snapshot, config.names],
  );
  const value = useMemo(() => ({ config, pool, rpc, live, snapshot, book, activity, collateralName }), [config, pool, rpc, live, snapshot, book, activity, collateralName]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export type Sender = {
  state: TxState;
  /** Sends started so far: tells one outcome from the previous one's. */
  attempt: number;
  send(build: (signer: TransactionSigner) => Promise<readonly Instruction[]>): Promise<void>;
};

/** A transaction form's state and its send: instructions built for the wallet's signer,
 * signed by the wallet, sent, confirmed; refusals by the program's error name. */
export function useSend(): Sender {
  const { rpc, activity } = useApp();
  const { signer } = useWallet();
  const [state, setState] = useState<TxState>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const send = useCallback(
    async (build: (signer: TransactionSigner) => Promise<readonly Instruction[]>) => {
      setAttempt((n) => n + 1);
      if (!signer) {
        setState({ status: 'refused', message: 'connect a wallet first' });
        return;
      }
      setState({ status: 'signing' });
      try {
        const signature = await sendWithWallet(rpc, signer, await build(signer));
        setState({ status: 'landed', signature });
        activity.addOwn(signature);
      } catch (error) {
        if (error instanceof TransactionRefused) {
          setState({ status: 'refused', name: error.programError?.name, message: error.programError?.message ?? error.message, signature: error.signature });
        } else {
          setState({ status: 'refused', message: (error as Error).message });
        }
      }
    },
    [rpc, signer, activity],
  );
  return { state, attempt, send };
}
