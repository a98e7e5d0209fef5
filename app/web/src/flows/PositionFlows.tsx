// The connected wallet's position: open it; deposit and withdraw each collateral; mint
// and repay notes, each with the health before and after shown before signing.
import { useState } from 'react';

import { ActionButton, AmountForm } from '../components/AmountForm.js';
import { NamedTxStatus } from '../components/TxStatus.js';
import { Figure, Figures } from '../components/Figure.js';
import { dollars, NOTE_DECIMALS, percentBps, ratio, units } from '../format.js';
import { positionFigures } from '../model/positions.js';
import { previewChange, type Change } from '../model/preview.js';
import { useApp, useSend } from '../state.js';
import { useWallet } from '../wallet/WalletContext.js';
import { HealthPreview } from './HealthPreview.js';
import * as build from './instructions.js';

export function PositionFlows() {
  const { snapshot, collateralName, config } = useApp();
  const { account } = useWallet();
  const [index, setIndex] = useState(0);
  // Held here: the position can show up (by subscription) before the send confirms,
  // replacing the open button; its outcome and signature stay on the page.
  const opening = useSend();
  if (!snapshot) return null;
  if (!account || !snapshot.wallet) return <p>Connect a wallet to open and manage your position.</p>;
  const wallet = snapshot.wallet;
  const position = wallet.position;
  if (!position) {
    return (
      <>
        <p>This wallet has no position in the pool yet.</p>
        <ActionButton id="open" label="Open a position" sender={opening} build={(signer) => build.openPosition(snapshot, signer)} />
        <NamedTxStatus label="Opening the position" state={opening.state} attempt={opening.attempt} rpcUrl={config.rpcUrl} testId="open-status" />
      </>
    );
  }
  const mine = positionFigures(snapshot, position.address, position.account);
  const preview = (change: (amount: bigint) => Change) => (amount: bigint | undefined) =>
    amount === undefined ? <HealthPreview preview={null} /> : <HealthPreview preview={previewChange(snapshot, position.account, change(amount))} />;
  const collateral = snapshot.pool.collaterals[index]!;
  const listed = snapshot.pool.collaterals.slice(0, snapshot.pool.collateralCount);
  return (
    <div data-testid="my-position" data-address={position.address}>
      {opening.state.status !== 'idle' ? <NamedTxStatus label="Opening the position" state={opening.state} attempt={opening.attempt} rpcUrl={config.rpcUrl} testId="open-status" /> : null}
      <Figures>
        <Figure label="Health" value={ratio(mine.healthWad)} raw={mine.healthWad} testId="my-health" tone={mine.liquidatable ? 'bad' : undefined} />
        <Figure label="Debt" value={dollars(mine.debt)} raw={mine.debt} testId="my-debt" />
        <Figure label="Collateral value" value={mine.value === null ? '—' : dollars(mine.value)} raw={mine.value} testId="my-value" />
        <Figure label="Borrow limit" value={mine.borrowLimit === null ? '—' : dollars(mine.borrowLimit)} raw={mine.borrowLimit} testId="my-limit" />
        <Figure label="Distance to liquidation" value={mine.distanceBps === null ? '—' : `prices −${percentBps(mine.distanceBps)}`} raw={mine.distanceBps} testId="my-distance" />
        {listed.map((c, i) => (
          <Figure key={i} label={`${collateralName(i)} deposited`} value={units(mine.collateral[i] ?? 0n, c.decimals)} raw={mine.collateral[i] ?? 0n} testId={`my-collateral-${i}`} />
        ))}
        <Figure label="Notes in wallet" value={dollars(wallet.notes)} raw={wallet.notes} testId="my-notes" />
      </Figures>
      <fieldset className="collateral-pick">
        <legend>Collateral</legend>
        {listed.map((_, i) => (
          <label key={i}>
            <input type="radio" name="collateral" checked={i === index} onChange={() => setIndex(i)} /> {collateralName(i)} (wallet: {units(wallet.collaterals[i] ?? 0n, listed[i]!.decimals)})
          </label>
        ))}
      </fieldset>
      <div className="flows">
        <AmountForm
          key={`deposit-${index}`}
          id="deposit"
          label={`Deposit ${collateralName(index)}`}
          action="Deposit"
          decimals={collateral.decimals}
          max={wallet.collaterals[index]}
          preview={preview((amount) => ({ kind: 'deposit', index, amount }))}
          build={(amount, signer) => build.deposit(snapshot, signer, index, amount)}
        />
        <AmountForm
          key={`withdraw-${index}`}
          id="withdraw"
          label={`Withdraw ${collateralName(index)}`}
          action="Withdraw"
          decimals={collateral.decimals}
          max={mine.collateral[index]}
          preview={preview((amount) => ({ kind: 'withdraw', index, amount }))}
          build={(amount, signer) => build.withdraw(snapshot, signer, index, amount)}
        />
        <AmountForm
          id="mint"
          label="Mint notes"
          action="Mint"
          decimals={NOTE_DECIMALS}
          preview={preview((amount) => ({ kind: 'mint', amount }))}
          build={(amount, signer) => build.mint(snapshot, signer, amount)}
        />
        <AmountForm
          id="repay"
          label="Repay notes"
          action="Repay"
          decimals={NOTE_DECIMALS}
          max={wallet.notes < mine.debt ? wallet.notes : mine.debt}
          preview={preview((amount) => ({ kind: 'repay', amount }))}
          build={(amount, signer) => build.repay(snapshot, signer, amount)}
        />
      </div>
    </div>
  );
}
