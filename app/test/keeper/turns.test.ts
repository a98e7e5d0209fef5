import { describe, expect, it } from 'vitest';

import { Turns } from '../../keeper/turns.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('turns: work done one piece at a time, in order', () => {
  it('starts each piece once the one before it has finished, in the order asked', async () => {
    const turns = new Turns();
    const events: string[] = [];
    const piece = (name: string, steps: number) =>
      turns.take(async () => {
        events.push(`${name} starts`);
        for (let step = 0; step < steps; step++) await tick();
        events.push(`${name} ends`);
        return name;
      });
    // The first takes longest: interleaved, it would end last.
    const results = await Promise.all([piece('a', 5), piece('b', 1), piece('c', 0)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it("gives a piece's failure to its caller only: the next piece still runs", async () => {
    const turns = new Turns();
    const failing = turns.take(async () => {
      await tick();
      throw new Error('refused');
    });
    const next = turns.take(async () => 'ran');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
  });
});
