import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { PriceFileError, readPriceCsv } from '../../backtest/csv.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
const read = (...rows: string[]) => readPriceCsv([HEADER, ...rows].join('\n'), 'prices.csv');
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PriceFileError);
    return (error as PriceFileError).message;
  }
  throw new Error('expected a PriceFileError');
};

describe('readPriceCsv', () => {
  it('reads the committed price files whole, in date order', () => {
    for (const name of ['SOL-USD', 'BTC-USD', 'USDC-USD']) {
      const path = fileURLToPath(new URL(`../../../data/prices/${name}.csv`, import.meta.url));
      const bars = readPriceCsv(readFileSync(path, 'utf8'), path);
      expect(bars).toHaveLength(971); // 2021-01-01 to 2023-08-29, every day
      expect(bars[0]!.date).toBe('2021-01-01');
      expect(bars.at(-1)!.date).toBe('2023-08-29');
    }
  });

  it('takes the columns by name, ignores extra columns, blank lines and CRLF', () => {
    const bars = readPriceCsv('Close,Date,Low,High,Open\r\n2.5,2022-01-02,2,3,2.2\r\n\r\n', 'x.csv');
    expect(bars).toEqual([{ date: '2022-01-02', open: 2.2, high: 3, low: 2, close: 2.5 }]);
  });

  it('names the file and line of a bad row', () => {
    expect(failure(() => read('2022-01-01,1,2,0.5,1.5', '2022-01-02,1,2,x,1.5'))).toBe('prices.csv:3: Low "x" is not a positive number');
    expect(failure(() => read('2022-01-01,1,2,0.5,1.5', '2022-01-02,1,2,0.5'))).toBe('prices.csv:3: Close "" is not a positive number');
    expect(failure(() => read('01/02/2022,1,2,0.5,1.5'))).toBe('prices.csv:2: "01/02/2022" is not a date (YYYY-MM-DD)');
    expect(failure(() => read('2022-01-01,1,2,0,1.5'))).toBe('prices.csv:2: Low "0" is not a positive number');
    expect(failure(() => read('2022-01-01,1,2,1.2,1.5'))).toBe('prices.csv:2: low 1.2 and high 2 do not bracket open 1 and close 1.5');
    expect(failure(() => read('2022-01-02,1,2,0.5,1.5', '2022-01-01,1,2,0.5,1.5'))).toBe('prices.csv:3: 2022-01-01 does not follow 2022-01-02 (dates must ascend)');
    expect(failure(() => readPriceCsv('Date,Open,High,Close\n', 'p.csv'))).toBe('p.csv:1: the header lacks Low (expected Date,Open,High,Low,Close)');
    expect(failure(() => read())).toBe('prices.csv:2: no price rows');
  });
});
