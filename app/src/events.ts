// Strata's events, decoded from transaction logs. The program emits every state change
// as an Anchor event: a `Program data: <base64>` log line whose bytes are the event's
// discriminator (the first 8 bytes of sha256("event:<Name>")) followed by its Borsh body
// (`programs/strata/src/events.rs`). The decoders below read those bodies; the tests
// check them against the IDL's field lists and against bytes the Rust side writes.
import {
  fixDecoderSize,
  getAddressDecoder,
  getArrayDecoder,
  getBase64Encoder,
  getBooleanDecoder,
  getBytesDecoder,
  getI64Decoder,
  getStructDecoder,
  getU128Decoder,
  getU16Decoder,
  getU32Decoder,
  getU64Decoder,
  getU8Decoder,
  type Address,
  type Decoder,
  type ReadonlyUint8Array,
} from '@solana/kit';

import {
  getCollateralParamsDecoder,
  getOracleKindDecoder,
  getPoolParamsDecoder,
  getSkipReasonDecoder,
  getTrancheParamsDecoder,
  STRATA_PROGRAM_ADDRESS,
} from './generated/index.js';

const bytes = (size: number) => fixDecoderSize(getBytesDecoder(), size);
const u64s = (size: number) => getArrayDecoder(getU64Decoder(), { size });

/** The Borsh body of every event, by name. */
export const EVENT_DECODERS = {
  AllowlistChanged: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['wallet', getAddressDecoder()],
    ['allowed', getBooleanDecoder()],
  ]),
  AuthorityAccepted: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['oldAuthority', getAddressDecoder()],
    ['newAuthority', getAddressDecoder()],
  ]),
  AuthorityProposed: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['authority', getAddressDecoder()],
    ['pendingAuthority', getAddressDecoder()],
  ]),
  BadDebtBooked: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['amount', getU64Decoder()],
    ['poolBadDebt', getU64Decoder()],
  ]),
  BatchLiquidated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['keeper', getAddressDecoder()],
    ['collateralIndex', getU8Decoder()],
    ['liquidated', getU16Decoder()],
    ['skipped', getU16Decoder()],
    ['repaid', getU64Decoder()],
    ['seized', getU64Decoder()],
    ['lossTaken', u64s(4)],
    ['lossUncovered', getU64Decoder()],
    ['poolBadDebt', getU64Decoder()],
  ]),
  BatchPositionLiquidated: getStructDecoder([
    ['position', getAddressDecoder()],
    ['repaid', getU64Decoder()],
    ['seized', getU64Decoder()],
    ['bonusBps', getU16Decoder()],
    ['badDebt', getU64Decoder()],
    ['healthBeforeWad', getU64Decoder()],
    ['healthAfterWad', getU64Decoder()],
    ['debtAfter', getU64Decoder()],
  ]),
  BatchPositionSkipped: getStructDecoder([
    ['position', getAddressDecoder()],
    ['reason', getSkipReasonDecoder()],
  ]),
  CollateralAdded: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['mint', getAddressDecoder()],
    ['tokenProgram', getAddressDecoder()],
    ['vault', getAddressDecoder()],
    ['decimals', getU8Decoder()],
    ['oracleKind', getOracleKindDecoder()],
    ['oracle', getAddressDecoder()],
    ['feedId', bytes(32)],
    ['params', getCollateralParamsDecoder()],
  ]),
  CollateralDeposited: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['owner', getAddressDecoder()],
    ['collateralIndex', getU8Decoder()],
    ['amount', getU64Decoder()],
    ['positionCollateral', getU64Decoder()],
    ['totalDeposited', getU64Decoder()],
  ]),
  CollateralUpdated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['old', getCollateralParamsDecoder()],
    ['new', getCollateralParamsDecoder()],
    ['oldOracle', getAddressDecoder()],
    ['newOracle', getAddressDecoder()],
    ['oldFeedId', bytes(32)],
    ['newFeedId', bytes(32)],
  ]),
  CollateralWithdrawn: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['owner', getAddressDecoder()],
    ['collateralIndex', getU8Decoder()],
    ['amount', getU64Decoder()],
    ['positionCollateral', getU64Decoder()],
    ['totalDeposited', getU64Decoder()],
  ]),
  CoverageChecked: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['coverageBps', getU16Decoder()],
    ['floorBps', getU16Decoder()],
    ['oldMode', getU8Decoder()],
    ['newMode', getU8Decoder()],
  ]),
  IncomeDistributed: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['fees', getU64Decoder()],
    ['protocolFee', getU64Decoder()],
    ['badDebtRepaid', getU64Decoder()],
    ['recovered', u64s(4)],
    ['yielded', u64s(4)],
    ['turbo', getBooleanDecoder()],
  ]),
  InterestAccrued: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['rateIndexWad', getU128Decoder()],
    ['fees', getU64Decoder()],
    ['pendingFees', getU64Decoder()],
    ['timestamp', getI64Decoder()],
  ]),
  LossAllocated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['taken', u64s(4)],
    ['uncovered', getU64Decoder()],
  ]),
  NotesMinted: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['owner', getAddressDecoder()],
    ['amount', getU64Decoder()],
    ['sharesIssued', getU128Decoder()],
    ['positionDebt', getU64Decoder()],
    ['rateIndexWad', getU128Decoder()],
  ]),
  NotesRepaid: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['payer', getAddressDecoder()],
    ['amount', getU64Decoder()],
    ['sharesBurned', getU128Decoder()],
    ['positionDebt', getU64Decoder()],
    ['rateIndexWad', getU128Decoder()],
  ]),
  OracleRefreshed: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['collateralIndex', getU8Decoder()],
    ['priceWad', getU128Decoder()],
    ['emaPriceWad', getU128Decoder()],
    ['confWad', getU128Decoder()],
    ['publishTime', getI64Decoder()],
    ['slot', getU64Decoder()],
  ]),
  PauseFlagsSet: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['old', getU16Decoder()],
    ['new', getU16Decoder()],
  ]),
  PoolInitialized: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['authority', getAddressDecoder()],
    ['poolId', getU64Decoder()],
    ['noteMint', getAddressDecoder()],
    ['treasury', getAddressDecoder()],
    ['permissioned', getBooleanDecoder()],
    ['params', getPoolParamsDecoder()],
  ]),
  PoolParamsUpdated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['old', getPoolParamsDecoder()],
    ['new', getPoolParamsDecoder()],
    ['oldTreasury', getAddressDecoder()],
    ['newTreasury', getAddressDecoder()],
  ]),
  PositionAbsorbed: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['keeper', getAddressDecoder()],
    ['full', getBooleanDecoder()],
    ['paid', u64s(4)],
    ['moved', u64s(8)],
    ['tip', u64s(8)],
    ['debtAfter', getU64Decoder()],
    ['healthBeforeWad', getU128Decoder()],
    ['healthAfterWad', getU128Decoder()],
  ]),
  PositionClosed: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['owner', getAddressDecoder()],
  ]),
  PositionLiquidated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['keeper', getAddressDecoder()],
    ['collateralIndex', getU8Decoder()],
    ['repaid', getU64Decoder()],
    ['seized', u64s(8)],
    ['bonusBps', getU16Decoder()],
    ['badDebt', getU64Decoder()],
    ['healthBeforeWad', getU128Decoder()],
    ['healthAfterWad', getU128Decoder()],
    ['debtAfter', getU64Decoder()],
  ]),
  PositionOpened: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['owner', getAddressDecoder()],
  ]),
  ShortfallFlagged: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['position', getAddressDecoder()],
    ['pending', getBooleanDecoder()],
    ['poolLossPendingCount', getU32Decoder()],
  ]),
  TrancheDeposited: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['depositor', getAddressDecoder()],
    ['amount', getU64Decoder()],
    ['shares', getU64Decoder()],
    ['assets', getU64Decoder()],
    ['totalShares', getU64Decoder()],
  ]),
  TrancheInitialized: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['tranche', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['shareMint', getAddressDecoder()],
    ['vault', getAddressDecoder()],
    ['params', getTrancheParamsDecoder()],
  ]),
  TrancheUpdated: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['old', getTrancheParamsDecoder()],
    ['new', getTrancheParamsDecoder()],
  ]),
  TrancheWithdrawn: getStructDecoder([
    ['pool', getAddressDecoder()],
    ['index', getU8Decoder()],
    ['holder', getAddressDecoder()],
    ['shares', getU64Decoder()],
    ['notes', getU64Decoder()],
    ['collateral', u64s(8)],
    ['assets', getU64Decoder()],
    ['totalShares', getU64Decoder()],
  ]),
} as const;

export type StrataEventName = keyof typeof EVENT_DECODERS;

/** The decoded fields of event `N`. */
export type StrataEventData<N extends StrataEventName> =
  (typeof EVENT_DECODERS)[N] extends Decoder<infer T> ? T : never;

/** One decoded event: its name and fields. */
export type StrataEvent = { [N in StrataEventName]: { name: N; data: StrataEventData<N> } }[StrataEventName];

/** Anchor event discriminators: the first 8 bytes of sha256("event:<Name>"), hex. */
export const EVENT_DISCRIMINATORS: Record<StrataEventName, string> = {
  AllowlistChanged: 'bcd3683729aa532f',
  AuthorityAccepted: 'a6c0dbbc29d1c31a',
  AuthorityProposed: 'f4755e7035972359',
  BadDebtBooked: '244ade6c23c6c38c',
  BatchLiquidated: '1ffbd2b1454df138',
  BatchPositionLiquidated: '1727dcc93c0506cc',
  BatchPositionSkipped: '8f130bbdcda111ca',
  CollateralAdded: 'ac443af99d404a8d',
  CollateralDeposited: 'f43e4d0b87703d60',
  CollateralUpdated: '4016cff9722ccb20',
  CollateralWithdrawn: '33e0856a4aad4852',
  CoverageChecked: '5896287dde1edbef',
  IncomeDistributed: '7cae543c0743579a',
  InterestAccrued: '4fdac44920948a47',
  LossAllocated: 'e1354f30936c53a1',
  NotesMinted: '93fb6c3ed63d5484',
  NotesRepaid: '2db609972dcbfefa',
  OracleRefreshed: '8ec22bf9f034bf21',
  PauseFlagsSet: '43ea4baaa11ad224',
  PoolInitialized: '6476ad570cc6fee5',
  PoolParamsUpdated: '54b81c7527405784',
  PositionAbsorbed: 'bae6f91eef888be3',
  PositionClosed: '9da3e3e40d618a79',
  PositionLiquidated: '286b5ad6601e3d80',
  PositionOpened: 'edaff3e693756579',
  ShortfallFlagged: '3f96e08f2491cb7e',
  TrancheDeposited: '50877dc314634d7c',
  TrancheInitialized: 'f54e67362c2d03cd',
  TrancheUpdated: 'c1b6292baff27986',
  TrancheWithdrawn: 'a2a03a782a923903',
};

const toHex = (data: ReadonlyUint8Array) => Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
const byDiscriminator = new Map(
  Object.entries(EVENT_DISCRIMINATORS).map(([name, discriminator]) => [discriminator, name as StrataEventName]),
);

/** Decodes an event's bytes (discriminator ‖ Borsh body). Bytes with a discriminator
 * that is not one of Strata's events give `undefined`; a known event whose body does
 * not decode exactly (a client older than the program) throws. */
export function decodeEvent(data: ReadonlyUint8Array): StrataEvent | undefined {
  if (data.length < 8) return undefined;
  const name = byDiscriminator.get(toHex(data.slice(0, 8)));
  if (!name) return undefined;
  const decoder = EVENT_DECODERS[name] as Decoder<unknown>;
  const [value, end] = decoder.read(data, 8);
  if (end !== data.length) throw new RangeError(`${name}: ${data.length - end} bytes after the event`);
  return { name, data: value } as StrataEvent;
}

const base64 = getBase64Encoder();
const INVOKE = /^Program (\S+) invoke \[\d+\]$/;
const EXIT = /^Program (\S+) (success|failed\b.*)$/;
const DATA = 'Program data: ';

/** Every event `programAddress` (default: Strata) emitted, in order, from a
 * transaction's log messages. Lines are attributed to the program executing when they
 * were logged (the invoke stack is followed), so data logged by other programs, or by
 * programs Strata calls, is passed over; so are data lines that are not Strata events. */
export function parseEventLogs(
  logs: readonly string[],
  programAddress: Address = STRATA_PROGRAM_ADDRESS,
): StrataEvent[] {
  const stack: string[] = [];
  const events: StrataEvent[] = [];
  for (const line of logs) {
    const invoke = INVOKE.exec(line);
    if (invoke) {
      stack.push(invoke[1]!);
      continue;
    }
    const exit = EXIT.exec(line);
    if (exit && stack[stack.length - 1] === exit[1]) {
      stack.pop();
      continue;
    }
    if (line.startsWith(DATA) && stack[stack.length - 1] === programAddress) {
      const chunk = line.slice(DATA.length).split(' ')[0]!;
      let data: ReadonlyUint8Array;
      try {
        data = base64.encode(chunk);
      } catch {
        continue;
      }
      const event = decodeEvent(data);
      if (event) events.push(event);
    }
  }
  return events;
}

/** A type guard for `events.filter(isEvent('PositionLiquidated'))`. */
export function isEvent<N extends StrataEventName>(name: N) {
  return (event: StrataEvent): event is Extract<StrataEvent, { name: N }> => event.name === name;
}
