/**
 * Program errors by name. A failed transaction reaches TypeScript as a kit
 * `SolanaError` (preflight) or a status `err` (`{ InstructionError: [index, {
 * Custom: code }] }`); either way `programError` finds the custom code and names it
 * after the program's `StrataError` variant (`6022` → `AlreadyInitialized`).
 */
import * as generated from './generated/index.js';

const PREFIX = 'STRATA_ERROR__';

const camel = (snake: string) =>
  snake
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** Program error code → variant name. */
export const STRATA_ERROR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(generated)
    .filter(([key, value]) => key.startsWith(PREFIX) && typeof value === 'number')
    .map(([key, value]) => [value as number, camel(key.slice(PREFIX.length))]),
);

export type ProgramError = { code: number; name: string; message: string; instruction?: number };

/** The Strata error a failure carries, if any. */
export function programError(failure: unknown): ProgramError | undefined {
  const seen = new Set<unknown>();
  let current: unknown = failure;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const found = fromContext((current as { context?: unknown }).context) ?? fromStatusErr(current);
    if (found) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function named(code: number, instruction?: number): ProgramError | undefined {
  const name = STRATA_ERROR_NAMES.get(code);
  if (!name) return undefined;
  return { code, name, message: generated.getStrataErrorMessage(code as generated.StrataError), instruction };
}

function fromContext(context: unknown): ProgramError | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const { code, index } = context as { code?: unknown; index?: unknown };
  if (typeof code === 'number') return named(code, typeof index === 'number' ? index : undefined);
  return undefined;
}

function fromStatusErr(value: unknown): ProgramError | undefined {
  const err = (value as { InstructionError?: unknown }).InstructionError;
  if (!Array.isArray(err)) return undefined;
  const [index, detail] = err as [unknown, unknown];
  const custom = (detail as { Custom?: unknown } | undefined)?.Custom;
  const code = typeof custom === 'bigint' ? Number(custom) : custom;
  return typeof code === 'number' ? named(code, typeof index === 'number' ? index : Number(index)) : undefined;
}
