// What makes the page re-read the chain: account subscriptions where the cluster serves
// them (the pool, its tranches, the collaterals' oracles and the wallet's position),
// else the slot subscription (a re-read per new slot, at most once a second), else
// polling every two seconds. The mode in use is reported, and shown in the page's header.
import { createSolanaRpcSubscriptions, type Address } from '@solana/kit';

export type LiveMode = 'connecting' | 'account subscriptions' | 'slot subscription' | 'polling';

const SUBSCRIBE_TIMEOUT_MS = 3_000;
const MIN_INTERVAL_MS = 1_000;
const POLL_MS = 2_000;
/** In account-subscription mode, figures that move with the clock alone (oracle ages,
 * accrued debt) and other wallets' positions are re-read this often. */
const SLOW_POLL_MS = 10_000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('subscription timed out')), ms))]);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Calls `onChange` whenever the watched state may have changed, until `signal` aborts. */
export function watch(options: {
  wsUrl: string;
  watched: readonly Address[];
  onChange: () => void;
  onMode: (mode: LiveMode) => void;
  signal: AbortSignal;
}): void {
  const { signal } = options;
  let last = 0;
  let scheduled = false;
  const trigger = () => {
    if (scheduled || signal.aborted) return;
    const wait = Math.max(0, last + MIN_INTERVAL_MS - Date.now());
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      last = Date.now();
      if (!signal.aborted) options.onChange();
    }, wait);
  };
  void run();

  async function run() {
    let subscriptions: ReturnType<typeof createSolanaRpcSubscriptions> | undefined;
    try {
      subscriptions = createSolanaRpcSubscriptions(options.wsUrl);
    } catch {
      subscriptions = undefined;
    }
    if (subscriptions && (await accounts(subscriptions))) return;
    if (subscriptions && (await slots(subscriptions))) return;
    options.onMode('polling');
    while (!signal.aborted) {
      trigger();
      await sleep(POLL_MS, signal);
    }
  }

  /** Subscribes to every watched account; false when the cluster refuses. */
  async function accounts(subscriptions: ReturnType<typeof createSolanaRpcSubscriptions>): Promise<boolean> {
    const scope = new AbortController();
    signal.addEventListener('abort', () => scope.abort(), { once: true });
    let streams;
    try {
      streams = await withTimeout(
        Promise.all(
          options.watched.map((address) =>
            subscriptions.accountNotifications(address, { commitment: 'confirmed', encoding: 'base64' }).subscribe({ abortSignal: scope.signal }),
          ),
        ),
        SUBSCRIBE_TIMEOUT_MS,
      );
    } catch {
      scope.abort();
      return false;
    }
    options.onMode('account subscriptions');
    const failed = new Promise<void>((resolve) => {
      for (const stream of streams) {
        void (async () => {
          try {
            for await (const _ of stream) trigger();
          } catch {
            /* the connection dropped */
          }
          resolve();
        })();
      }
    });
    const slow = (async () => {
      while (!scope.signal.aborted) {
        await sleep(SLOW_POLL_MS, scope.signal);
        trigger();
      }
    })();
    await failed;
    scope.abort();
    await slow;
    // A dropped connection: fall back to the slot subscription, or polling.
    return signal.aborted;
  }

  async function slots(subscriptions: ReturnType<typeof createSolanaRpcSubscriptions>): Promise<boolean> {
    let stream;
    try {
      stream = await withTimeout(subscriptions.slotNotifications().subscribe({ abortSignal: signal }), SUBSCRIBE_TIMEOUT_MS);
    } catch {
      return false;
    }
    options.onMode('slot subscription');
    try {
      for await (const _ of stream) trigger();
    } catch {
      /* dropped */
    }
    return signal.aborted;
  }
}
