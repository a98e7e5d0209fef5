/**
 * What every command shares: the cluster and the signer from the global options,
 * and `execute`, which shows what a transaction will do and then simulates it
 * (`--dry-run`), or asks for confirmation (skipped with `-y`; refused when stdin is
 * not a terminal) and sends it, printing its signature and events.
 */
import { createInterface } from 'node:readline/promises';

import { type Instruction, type KeyPairSigner, type Rpc, type SolanaRpcApi } from '@solana/kit';

import { connect, InputError, loadKeypairSigner, resolveRpcUrl, resolveWsUrl, transactionEvents } from '../admin/chain.js';
import { sendInstructions, simulateInstructions, TransactionFailed, type ClusterClient } from '../admin/send.js';
import { parseEventLogs, type StrataEvent } from '../src/index.js';
import { type ProgramError } from '../src/program-errors.js';

export type GlobalOptions = { url: string; wsUrl?: string; keypair: string; dryRun?: boolean; yes?: boolean };

/** A transaction that failed, or would: exit status 1. */
export class Failure extends Error {
  override name = 'Failure';
}

export type Io = {
  out: (line: string) => void;
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the confirmation prompt is written (default: stderr). */
  prompt?: NodeJS.WritableStream;
};

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
};

/** JSON with bigints as decimal strings and bytes as hex. */
export const json = (value: unknown) =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key]; // before Buffer.prototype.toJSON
    return typeof raw === 'bigint' ? raw.toString() : raw instanceof Uint8Array ? `0x${Buffer.from(raw).toString('hex')}` : v;
  });

const describeProgramError = (e: ProgramError) => `${e.name} (error ${e.code}${e.instruction !== undefined ? `, instruction ${e.instruction}` : ''}): ${e.message}`;

export class Context {
  readonly url: string;
  readonly client: ClusterClient;
  readonly rpc: Rpc<SolanaRpcApi>;
  private signerPromise: Promise<KeyPairSigner> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly io: Io = processIo,
  ) {
    this.url = resolveRpcUrl(options.url);
    this.client = connect(this.url, resolveWsUrl(options.wsUrl, this.url));
    this.rpc = this.client.rpc;
  }

  /** The `--keypair` signer (read once). */
  signer(): Promise<KeyPairSigner> {
    this.signerPromise ??= loadKeypairSigner(this.options.keypair);
    return this.signerPromise;
  }

  /** Shows, then simulates or confirms and sends, one transaction. */
  async execute(action: { title: string; details?: string[]; instructions: Instruction[]; payer?: KeyPairSigner }): Promise<void> {
    const payer = action.payer ?? (await this.signer());
    const { out } = this.io;
    out(action.title);
    for (const line of action.details ?? []) out(`  ${line}`);
    out(`  signer ${payer.address} on ${this.url}`);

    if (this.options.dryRun) {
      const simulation = await simulateInstructions(this.rpc, payer, action.instructions);
      out(`dry run (simulated, nothing sent): ${simulation.ok ? 'would succeed' : 'would fail'}`);
      printLogs(out, simulation.logs);
      printEvents(out, parseEventLogs(simulation.logs));
      if (!simulation.ok) {
        throw new Failure(`would fail: ${simulation.programError ? describeProgramError(simulation.programError) : 'see the logs above'}`);
      }
      return;
    }

    if (!this.options.yes) await this.confirm();
    let signature;
    try {
      signature = await sendInstructions(this.client, payer, action.instructions);
    } catch (error) {
      if (error instanceof TransactionFailed) {
        if (error.logs.length) printLogs(this.io.err, error.logs);
        throw new Failure(`transaction failed: ${error.programError ? describeProgramError(error.programError) : rootMessage(error)}`);
      }
      throw error;
    }
    out(`sent ${signature}`);
    printEvents(out, (await transactionEvents(this.rpc, signature)).events);
  }

  private async confirm(): Promise<void> {
    if (!this.io.stdin.isTTY) {
      throw new InputError('not sending: confirmation needed but stdin is not a terminal (pass -y to send, or --dry-run to simulate)');
    }
    const prompt = createInterface({ input: this.io.stdin, output: this.io.prompt ?? process.stderr });
    try {
      const answer = (await prompt.question('Send this transaction? [y/N] ')).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') throw new Failure('not sent: cancelled');
    } finally {
      prompt.close();
    }
  }
}

function rootMessage(error: unknown): string {
  let current = error as { cause?: unknown; message?: string } | undefined;
  let message = current?.message ?? String(error);
  while (current?.cause && typeof current.cause === 'object') {
    current = current.cause as { cause?: unknown; message?: string };
    if (current.message) message = current.message;
  }
  return message;
}

function printLogs(out: (line: string) => void, logs: readonly string[]): void {
  if (!logs.length) return;
  out('  logs:');
  for (const line of logs) out(`    ${line}`);
}

function printEvents(out: (line: string) => void, events: readonly StrataEvent[]): void {
  for (const event of events) out(`  event ${event.name} ${json(event.data)}`);
}
