/**
 * Work done one piece at a time, in the order it was asked for, each piece starting
 * once the one before it has finished (or failed). The keeper builds and signs its
 * transactions this way (see `Keeper.execute`): that is work for its one thread, so
 * interleaving the transactions of a wave gains nothing and loses the order, every
 * one of them compiled before the first is signed and the first sent as late as the
 * last. In turn, the first goes out one build after the plan, while the others are
 * still being built.
 */
export class Turns {
  private last: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every piece asked for before it; its result or error is the
   * caller's alone (a failure does not stop the pieces after it). */
  take<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.last.then(work);
    this.last = turn.catch(() => undefined);
    return turn;
  }
}
