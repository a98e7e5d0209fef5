/** Structured (JSON lines) logs, one object per event, via pino. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'strata-keeper' },
      // bigint amounts as strings: JSON has no bigint.
      formatters: { log: (object) => JSON.parse(JSON.stringify(object, (_, v) => (typeof v === 'bigint' ? v.toString() : v))) },
    },
    destination ?? pino.destination(1),
  );
}
