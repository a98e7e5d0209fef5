/**
 * The values a keeper values its book with have one hidden class in V8 however they
 * are built. Valuation is the keeper's hottest code and V8 compiles it for the shapes
 * it has seen: the rehearsal (keeper.ts, `rehearse`) values the book under shocked
 * prices so that a crash finds it compiled, and views of another shape threw that
 * code away mid-crash ("wrong map" deoptimizations, then the same functions
 * compiled again, in every keeper of a fleet at once). Asked of V8 itself
 * (`%HaveSameMap`, in a child process with `--allow-natives-syntax`).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('valuation inputs have one shape', () => {
  it('views read, refreshed and shocked, their prices and the slots valued from each, share hidden classes', () => {
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/keeper/shapes-probe.ts'], { cwd: APP_DIR, encoding: 'utf8' });
    const shapes = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(shapes.collaterals).toBeGreaterThan(0);
    expect(shapes).toEqual({
      collaterals: shapes.collaterals,
      readAndRefreshed: true,
      refreshedAndShocked: true,
      pricesReadAndShocked: true,
      slotsOfBoth: true,
    });
  });
});
