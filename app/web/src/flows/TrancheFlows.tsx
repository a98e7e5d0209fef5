// A tranche card's wallet flows: deposit notes for shares; request a redemption of
// shares, then claim it once the pool's delay has passed, or cancel it.
import { ActionButton, AmountForm } from '../components/AmountForm.js';
import { dollars, duration, NOTE_DECIMALS, SHARE_DECIMALS, units } from '../format.js';
import type { TrancheFigures } from '../model/tranches.js';
import { NamedTxStatus } from '../components/TxStatus.js';
import { useApp, useSend } from '../state.js';
import { useWallet } from '../wallet/WalletContext.js';
import * as build from './instructions.js';

export function TrancheFlows({ tranche }: { tranche: TrancheFigures }) {
  const { snapshot, config } = useApp();
  const { account } = useWallet();
  // Held here and shown below the forms: a landed request swaps the request form for
  // the claim and cancel buttons (and a claim or cancel swaps them back), which may
  // happen, by subscription, before the send has confirmed.
  const redeem = useSend();
  const claim = useSend();
  const cancel = useSend();
  if (!snapshot) return null;
  if (!account || !snapshot.wallet) return <p className="muted">Connect a wallet to deposit or redeem.</p>;
  const wallet = snapshot.wallet;
  const shares = wallet.shares[tranche.index] ?? 0n;
  const request = wallet.requests[tranche.index] ?? null;
  const id = (name: string) => `tranche-${tranche.index}-${name}`;
  const worth = (s: bigint) => (s * tranche.sharePrice) / 1_000_000_000n;
  return (
    <div className="tranche-flows">
      <p>
        You hold <span data-testid={id('my-shares')} data-value={shares.toString()}>{units(shares, SHARE_DECIMALS)} shares</span> (≈ {dollars(worth(shares))}) and {dollars(wallet.notes)} of notes.
      </p>
      <AmountForm
        id={id('deposit')}
        label="Deposit notes"
        action="Deposit"
        decimals={NOTE_DECIMALS}
        max={wallet.notes}
        preview={(amount) => (amount === undefined ? null : <>≈ {units((amount * 1_000_000_000n) / (tranche.sharePrice || 1n), SHARE_DECIMALS)} shares at the current NAV (entry prices held collateral at the top of its band)</>)}
        build={(amount, signer) => build.trancheDeposit(snapshot, signer, tranche.index, amount)}
      />
      {request ? (
        <div className="request" data-testid={id('request')} data-shares={request.shares.toString()}>
          <p>
            Redemption of {units(request.shares, SHARE_DECIMALS)} shares (≈ {dollars(worth(request.shares))}) requested;{' '}
            {snapshot.now >= request.requestedAt + BigInt(snapshot.pool.redemptionDelaySecs)
              ? 'claimable now.'
              : `claimable in ${duration(request.requestedAt + BigInt(snapshot.pool.redemptionDelaySecs) - snapshot.now)}.`}
          </p>
          <ActionButton id={id('claim')} label="Claim" sender={claim} build={(signer) => build.claimRedemption(snapshot, signer, tranche.index)} />
          <ActionButton id={id('cancel')} label="Cancel the request" sender={cancel} build={(signer) => build.cancelRedemption(snapshot, signer, tranche.index)} />
        </div>
      ) : (
        <AmountForm
          id={id('redeem')}
          label="Request a redemption (shares)"
          action="Request"
          decimals={SHARE_DECIMALS}
          max={shares}
          preview={(amount) => (amount === undefined ? null : <>≈ {dollars(worth(amount))} at today's NAV, paid as it stands at the claim, after {duration(BigInt(snapshot.pool.redemptionDelaySecs))}</>)}
          build={(amount, signer) => build.requestRedemption(snapshot, signer, tranche.index, amount)}
          sender={redeem}
        />
      )}
      <NamedTxStatus label="Redemption request" state={redeem.state} attempt={redeem.attempt} rpcUrl={config.rpcUrl} testId={id('redeem-status')} />
      <NamedTxStatus label="Claim" state={claim.state} attempt={claim.attempt} rpcUrl={config.rpcUrl} testId={id('claim-status')} />
      <NamedTxStatus label="Cancel" state={cancel.state} attempt={cancel.attempt} rpcUrl={config.rpcUrl} testId={id('cancel-status')} />
    </div>
  );
}
