/**
 * A clean-up task run at most once per interval, triggered from a request path rather than a timer:
 * there is no timer to stop when the server closes, and an idle instance does no work. The returned
 * function starts the task when it is due and returns at once; the task is not awaited, and its
 * failure goes to onError.
 */
export function sweeper(intervalMs: number, sweep: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let lastRunAt = Date.now();
  return () => {
    if (Date.now() - lastRunAt < intervalMs) return;
    lastRunAt = Date.now();
    sweep().catch(onError);
  };
}
