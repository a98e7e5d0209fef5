// Strata's events, decoded from transaction logs. The program emits every state change
// as an Anchor event: a `Program data: <base64>` log line whose bytes are the event's
// discriminator (the first 8 bytes of sha256("event:<Name>")) followed by its Borsh body
// (`programs/strata/src/events.rs`). The decoders of those bodies are generated from
// the IDL (`generated/events.ts`, `scripts/render-events.ts`); this file finds the
// events in logs. The tests check both against bytes the Rust side writes.
import { getBase64Encoder, type Address, type Decoder, type ReadonlyUint8Array } from '@solana/kit';

import { EVENT_DECODERS, EVENT_DISCRIMINATORS } from './generated/events.js';
import { STRATA_PROGRAM_ADDRESS } from './generated/index.js';

export { EVENT_DECODERS, EVENT_DISCRIMINATORS };

export type StrataEventName = keyof typeof EVENT_DECODERS;

/** The decoded fields of event `N`. */
export type StrataEventData<N extends StrataEventName> =
  (typeof EVENT_DECODERS)[N] extends Decoder<infer T> ? T : never;

/** One decoded event: its name and fields. */
export type StrataEvent = { [N in StrataEventName]: { name: N; data: StrataEventData<N> } }[StrataEventName];

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
