// A form that sends one transaction for an amount: a labelled input (decimal, in the
// token's units), what it will do before the wallet signs (`preview`), a submit button,
// and the outcome. Enter submits; everything is reachable by keyboard.
import type { Instruction, TransactionSigner } from '@solana/kit';
import { useId, useState, type ReactNode } from 'react';

import { parseAmount } from '../format.js';
import { useApp, useSend, type Sender } from '../state.js';
import { TxStatus } from './TxStatus.js';

export function AmountForm(props: {
  id: string;
  label: string;
  action: string;
  decimals: number;
  /** What the amount would do, shown before signing. */
  preview?: (amount: bigint | undefined) => ReactNode;
  build(amount: bigint, signer: TransactionSigner): Promise<readonly Instruction[]>;
  max?: bigint;
  /** A send owned by the parent, which shows its outcome: for a form the outcome
   * outlives (a landed request replaces the request form). */
  sender?: Sender;
}) {
  const { config } = useApp();
  const own = useSend();
  const { state, attempt, send } = props.sender ?? own;
  const [text, setText] = useState('');
  const inputId = useId();
  const amount = parseAmount(text, props.decimals);
  return (
    <form
      className="flow"
      data-testid={`${props.id}-form`}
      onSubmit={(e) => {
        e.preventDefault();
        if (amount === undefined) return;
        void send((signer) => props.build(amount, signer));
      }}
    >
      <label htmlFor={inputId}>{props.label}</label>
      <div className="row">
        <input
          id={inputId}
          data-testid={`${props.id}-amount`}
          inputMode="decimal"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={text !== '' && amount === undefined}
        />
        {props.max !== undefined ? (
          <button type="button" onClick={() => setText(formatMax(props.max!, props.decimals))}>
            Max
          </button>
        ) : null}
        <button type="submit" data-testid={`${props.id}-submit`} disabled={amount === undefined || state.status === 'signing'}>
          {props.action}
        </button>
      </div>
      {props.preview ? <div className="preview" data-testid={`${props.id}-preview`}>{props.preview(amount)}</div> : null}
      {props.sender ? null : <TxStatus state={state} attempt={attempt} rpcUrl={config.rpcUrl} testId={`${props.id}-status`} />}
    </form>
  );
}

const formatMax = (native: bigint, decimals: number): string => {
  const scale = 10n ** BigInt(decimals);
  const fraction = (native % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${native / scale}${fraction ? `.${fraction}` : ''}`;
};

/** A button that sends one transaction (open, claim, cancel). `sender`: a send owned
 * by the parent, which shows its outcome (a landed "open" replaces the button). */
export function ActionButton(props: {
  id: string;
  label: string;
  build(signer: TransactionSigner): Promise<readonly Instruction[]>;
  disabled?: boolean;
  sender?: Sender;
}) {
  const { config } = useApp();
  const own = useSend();
  const { state, attempt, send } = props.sender ?? own;
  return (
    <div className="flow" data-testid={`${props.id}-form`}>
      <button type="button" data-testid={`${props.id}-submit`} disabled={props.disabled || state.status === 'signing'} onClick={() => void send(props.build)}>
        {props.label}
      </button>
      {props.sender ? null : <TxStatus state={state} attempt={attempt} rpcUrl={config.rpcUrl} testId={`${props.id}-status`} />}
    </div>
  );
}
