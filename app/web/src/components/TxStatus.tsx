// What became of a transaction: in flight, landed (its signature linked to an
// explorer), or refused (the program's error by name, with its message).
import { explorerTx } from '../config.js';
import { short } from '../format.js';

export type TxState =
  | { status: 'idle' }
  | { status: 'signing' }
  | { status: 'landed'; signature: string }
  | { status: 'refused'; name?: string; message: string; signature?: string };

export function TxStatus({ state, rpcUrl, testId, attempt }: { state: TxState; rpcUrl: string; testId: string; attempt: number }) {
  const common = { 'data-testid': testId, 'data-attempt': attempt };
  switch (state.status) {
    case 'idle':
      return <p className="tx" {...common} data-status="idle" aria-live="polite" />;
    case 'signing':
      return (
        <p className="tx" {...common} data-status="signing" aria-live="polite">
          Waiting for the wallet and the cluster…
        </p>
      );
    case 'landed':
      return (
        <p className="tx good" {...common} data-status="landed" data-signature={state.signature} aria-live="polite">
          Landed: <a href={explorerTx(rpcUrl, state.signature)} target="_blank" rel="noreferrer">{short(state.signature)}</a>
        </p>
      );
    case 'refused':
      return (
        <p className="tx bad" {...common} data-status="refused" data-error={state.name ?? ''} role="alert">
          Refused{state.name ? <>: <strong>{state.name}</strong></> : null} — {state.message}
          {state.signature ? <> (<a href={explorerTx(rpcUrl, state.signature)} target="_blank" rel="noreferrer">{short(state.signature)}</a>)</> : null}
        </p>
      );
  }
}

/** A status shown apart from its form (the form may be gone), named by what was sent. */
export function NamedTxStatus({ label, ...props }: { label: string; state: TxState; rpcUrl: string; testId: string; attempt: number }) {
  return (
    <div className="named-tx">
      {props.state.status === 'idle' ? null : <span className="muted">{label}: </span>}
      <TxStatus {...props} />
    </div>
  );
}
