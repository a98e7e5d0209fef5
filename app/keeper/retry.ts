/** Retries an RPC call with exponential back-off, counting each failure. */
export async function withRetry<T>(
  method: string,
  call: () => Promise<T>,
  options: { retries: number; delayMs: number; onError?: (method: string, error: unknown, attempt: number) => void },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      options.onError?.(method, error, attempt);
      if (attempt >= options.retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs * 2 ** attempt));
    }
  }
}
