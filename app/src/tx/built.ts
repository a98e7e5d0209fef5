import type { Instruction } from '@solana/kit';

/** What every builder returns: the instructions of one transaction, in order, and
 * the addresses it derived. */
export type Built<T extends object = object> = T & { instructions: Instruction[] };
