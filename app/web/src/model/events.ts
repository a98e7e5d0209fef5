// The activity feed's lines: each Strata event as a kind and a sentence.
import type { StrataEvent } from '@strata/client';

import { dollars, ratio, short, SHARE_DECIMALS, tokenPrice, units } from '../format.js';

export type EventKind = 'liquidation' | 'absorption' | 'distribution' | 'redemption' | 'oracle' | 'position' | 'tranche' | 'admin';

export const EVENT_KINDS: readonly EventKind[] = ['liquidation', 'absorption', 'distribution', 'redemption', 'oracle', 'position', 'tranche', 'admin'];

type Names = { collateral(index: number): string; decimals(index: number): number; tranche(index: number): string };

export function describe(event: StrataEvent, names: Names): { kind: EventKind; text: string } {
  const amount = (index: number, native: bigint) => `${units(native, names.decimals(index))} ${names.collateral(index)}`;
  switch (event.name) {
    case 'PositionLiquidated': {
      const d = event.data;
      return { kind: 'liquidation', text: `${short(d.position)} liquidated: ${dollars(d.repaid)} repaid for ${d.seized.map((v, i) => (v > 0n ? amount(i, v) : '')).filter(Boolean).join(' and ')} (bonus ${d.bonusBps / 100}%), health ${ratio(d.healthBeforeWad)} → ${ratio(d.healthAfterWad)}${d.badDebt > 0n ? `, bad debt ${dollars(d.badDebt)}` : ''}` };
    }
    case 'BatchLiquidated': {
      const d = event.data;
      return { kind: 'liquidation', text: `batch of ${d.liquidated} liquidations (${d.skipped} skipped): ${dollars(d.repaid)} repaid for ${amount(d.collateralIndex, d.seized)}` };
    }
    case 'PositionAbsorbed': {
      const d = event.data;
      return { kind: 'absorption', text: `${short(d.position)} absorbed by the tranches${d.full ? '' : ' (in part)'}: ${d.paid.map((p, i) => (p > 0n ? `${names.tranche(i)} paid ${dollars(p)}` : '')).filter(Boolean).join(', ')}` };
    }
    case 'BadDebtBooked':
      return { kind: 'liquidation', text: `bad debt booked: ${dollars(event.data.amount)} (pool ${dollars(event.data.poolBadDebt)})` };
    case 'LossAllocated':
      return { kind: 'absorption', text: `loss allocated: ${event.data.lost.map((l, i) => (l > 0n ? `${names.tranche(i)} lost ${dollars(l)}` : '')).filter(Boolean).join(', ') || 'no tranche lost'}` };
    case 'IncomeDistributed': {
      const d = event.data;
      return { kind: 'distribution', text: `income distributed: ${dollars(d.fees)} of fees, ${d.yielded.map((y, i) => (y > 0n ? `${names.tranche(i)} ${dollars(y)}` : '')).filter(Boolean).join(', ') || 'nothing to the tranches'}, protocol ${dollars(d.protocolFee)}` };
    }
    case 'ProtocolFeePaid':
      return { kind: 'distribution', text: `protocol fee paid: ${dollars(event.data.amount)}` };
    case 'RedemptionRequested':
      return { kind: 'redemption', text: `${short(event.data.holder)} requested a redemption of ${units(event.data.shares, SHARE_DECIMALS, 2)} ${names.tranche(event.data.index)} shares` };
    case 'RedemptionClaimed':
      return { kind: 'redemption', text: `${short(event.data.holder)} claimed ${units(event.data.shares, SHARE_DECIMALS, 2)} ${names.tranche(event.data.index)} shares for ${dollars(event.data.notes)}` };
    case 'RedemptionCancelled':
      return { kind: 'redemption', text: `${short(event.data.holder)} cancelled a redemption of ${units(event.data.shares, SHARE_DECIMALS, 2)} ${names.tranche(event.data.index)} shares` };
    case 'OracleRefreshed':
      return { kind: 'oracle', text: `${names.collateral(event.data.collateralIndex)} refreshed at ${tokenPrice(event.data.priceWad, names.decimals(event.data.collateralIndex))}` };
    case 'CollateralRecovered':
      return { kind: 'absorption', text: `recovery sale: ${dollars(event.data.notesIn)} bought ${amount(event.data.collateralIndex, event.data.collateralOut)} from the ${names.tranche(event.data.index)}` };
    case 'TrancheDeposited':
      return { kind: 'tranche', text: `${short(event.data.depositor)} deposited ${dollars(event.data.amount)} into the ${names.tranche(event.data.index)}` };
    case 'CoverageChecked':
      return { kind: 'tranche', text: `coverage ${event.data.coverageBps / 100}% (floor ${event.data.floorBps / 100}%)` };
    case 'PositionOpened':
      return { kind: 'position', text: `${short(event.data.owner)} opened a position` };
    case 'CollateralDeposited':
      return { kind: 'position', text: `${short(event.data.owner)} deposited ${amount(event.data.collateralIndex, event.data.amount)}` };
    case 'CollateralWithdrawn':
      return { kind: 'position', text: `${short(event.data.owner)} withdrew ${amount(event.data.collateralIndex, event.data.amount)}` };
    case 'NotesMinted':
      return { kind: 'position', text: `${short(event.data.owner)} minted ${dollars(event.data.amount)}` };
    case 'NotesRepaid':
      return { kind: 'position', text: `${short(event.data.payer)} repaid ${dollars(event.data.amount)}` };
    case 'InterestAccrued':
      return { kind: 'distribution', text: `fees accrued: ${dollars(event.data.fees)}` };
    default:
      return { kind: 'admin', text: event.name };
  }
}
