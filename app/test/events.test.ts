import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  decodeEvent,
  EVENT_DECODERS,
  EVENT_DISCRIMINATORS,
  isEvent,
  parseEventLogs,
  STRATA_PROGRAM_ADDRESS,
  type StrataEventName,
} from '../src/index.js';
import { hexBytes, normalize, obj, str, vectors } from './vectors.js';

type Sample = { name: string; data: string; fields: Record<string, unknown> };
const events = obj(vectors.events as never);
const samples = events.samples as unknown as Sample[];
const idl = (await import('../idl/strata.json', { with: { type: 'json' } })).default as {
  events: { name: string; discriminator: number[] }[];
  types: { name: string; type: { fields?: { name: string }[] } }[];
};
const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

describe('events (vs anchor_lang::Event::data() bytes from the Rust side)', () => {
  it('cover every event of the IDL, with its fields in order', () => {
    expect(Object.keys(EVENT_DECODERS).sort()).toEqual(idl.events.map((e) => e.name).sort());
    expect(new Set(samples.map((s) => s.name))).toEqual(new Set(Object.keys(EVENT_DECODERS)));
    for (const event of idl.events) {
      const fields = idl.types.find((t) => t.name === event.name)!.type.fields!.map((f) => camel(f.name));
      const sample = samples.find((s) => s.name === event.name)!;
      expect(Object.keys(decodeEvent(hexBytes(sample.data))!.data), event.name).toEqual(fields);
    }
  });

  it('discriminators are sha256("event:<Name>")[..8] and match the IDL', () => {
    for (const event of idl.events) {
      const name = event.name as StrataEventName;
      const sha = createHash('sha256').update(`event:${name}`).digest('hex').slice(0, 16);
      expect(EVENT_DISCRIMINATORS[name], name).toBe(sha);
      expect(Buffer.from(event.discriminator).toString('hex'), name).toBe(sha);
    }
  });

  it.each(samples.map((s, n) => [`${s.name} #${n}`, s] as const))('decodes %s', (_, sample) => {
    const event = decodeEvent(hexBytes(sample.data));
    expect(event?.name).toBe(sample.name);
    expect(normalize(event?.data)).toEqual(sample.fields);
  });

  it('passes over unknown discriminators and refuses a known event with a wrong body', () => {
    expect(decodeEvent(Uint8Array.of(1, 2, 3))).toBeUndefined();
    expect(decodeEvent(new Uint8Array(64))).toBeUndefined();
    const bytes = hexBytes(samples[0]!.data);
    expect(() => decodeEvent(bytes.slice(0, bytes.length - 1))).toThrow();
    expect(() => decodeEvent(Uint8Array.from([...bytes, 0]))).toThrow(/bytes after/);
  });

  it("finds Strata's events in a transaction log, and only Strata's", () => {
    const logs = events.logs as string[];
    const found = parseEventLogs(logs);
    const want = events.fromLogs as unknown as { name: string; fields: unknown }[];
    expect(found.map((e) => e.name)).toEqual(want.map((e) => e.name));
    expect(found.map((e) => normalize(e.data))).toEqual(want.map((e) => e.fields));
    const liquidated = found.filter(isEvent('PositionLiquidated'));
    expect(liquidated).toHaveLength(1);
    expect(typeof liquidated[0]!.data.healthBeforeWad).toBe('bigint');
    // Another program's view of the same log: the events it (or a program it calls)
    // logged as data are not Strata's.
    const token = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
    expect(parseEventLogs(logs, token as typeof STRATA_PROGRAM_ADDRESS).map((e) => e.name)).toEqual(['BadDebtBooked']);
    expect(str(logs[0])).toContain('ComputeBudget');
  });
});
