// Share price history: each reading's share price per tranche at the cluster's clock,
// kept in this browser (localStorage, per pool and tranche, the last 500 points), so the
// chart grows while the page is open and survives a reload.
import { useEffect, useState } from 'react';

import type { TrancheFigures } from './tranches.js';

export type PricePoint = [time: number, price: number];

const LIMIT = 500;
const key = (pool: string, tranche: string) => `strata-web-share-price:${pool}:${tranche}`;

function load(pool: string, tranche: string): PricePoint[] {
  try {
    return JSON.parse(localStorage.getItem(key(pool, tranche)) ?? '[]') as PricePoint[];
  } catch {
    return [];
  }
}

/** Appends a point when the time moved on; returns the series. */
export function record(pool: string, tranche: string, now: bigint, sharePrice: bigint): PricePoint[] {
  const points = load(pool, tranche);
  const time = Number(now);
  const price = Number(sharePrice) / 1e6;
  const last = points[points.length - 1];
  if (!last || time > last[0]) points.push([time, price]);
  else if (time === last[0]) points[points.length - 1] = [time, price];
  const kept = points.slice(-LIMIT);
  try {
    localStorage.setItem(key(pool, tranche), JSON.stringify(kept));
  } catch {
    /* storage full or unavailable: the chart keeps this session's points */
  }
  return kept;
}

export function useShareHistory(pool: string, tranches: readonly TrancheFigures[], now: bigint): PricePoint[][] {
  const [series, setSeries] = useState<PricePoint[][]>([]);
  const signature = tranches.map((t) => `${t.address}:${t.sharePrice}`).join('|');
  useEffect(() => {
    setSeries(tranches.map((t) => record(pool, t.address, now, t.sharePrice)));
    // Recorded once per reading.
  }, [pool, signature, now]);
  return series;
}
