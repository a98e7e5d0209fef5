/**
 * Daily price bars from a CSV file with a header naming at least `Date,Open,High,Low,Close`
 * (Yahoo Finance's export and most others; extra columns are ignored). A bad row is an
 * error naming its file and line: a replay must not run on a price it misread.
 */

export type DailyBar = { date: string; open: number; high: number; low: number; close: number };

export class PriceFileError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    message: string,
  ) {
    super(`${source}:${line}: ${message}`);
    this.name = 'PriceFileError';
  }
}

const REQUIRED = ['Date', 'Open', 'High', 'Low', 'Close'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `text` (the contents of `source`) into bars in ascending date order. */
export function readPriceCsv(text: string, source: string): DailyBar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  const columns = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>;
  const missing = REQUIRED.filter((name) => columns[name] < 0);
  if (missing.length > 0) throw new PriceFileError(source, 1, `the header lacks ${missing.join(', ')} (expected Date,Open,High,Low,Close)`);
  const bars: DailyBar[] = [];
  lines.slice(1).forEach((raw, offset) => {
    const line = offset + 2;
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((cell) => cell.trim());
    const date = cells[columns.Date] ?? '';
    if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new PriceFileError(source, line, `"${date}" is not a date (YYYY-MM-DD)`);
    const number = (name: 'Open' | 'High' | 'Low' | 'Close') => {
      const cell = cells[columns[name]] ?? '';
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value) || value <= 0) throw new PriceFileError(source, line, `${name} "${cell}" is not a positive number`);
      return value;
    };
    const bar = { date, open: number('Open'), high: number('High'), low: number('Low'), close: number('Close') };
    if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) {
      throw new PriceFileError(source, line, `low ${bar.low} and high ${bar.high} do not bracket open ${bar.open} and close ${bar.close}`);
    }
    const previous = bars[bars.length - 1];
    if (previous && previous.date >= date) throw new PriceFileError(source, line, `${date} does not follow ${previous.date} (dates must ascend)`);
    bars.push(bar);
  });
  if (bars.length === 0) throw new PriceFileError(source, 2, 'no price rows');
  return bars;
}
