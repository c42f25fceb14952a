// A pg Client that reports every statement it runs, for slow-query logs (and any other observer).
// pg has no query hooks, so the pool is given this subclass (pg.Pool's `Client` option): it sees the
// statements of pool.query and of checked-out clients alike. Submittables (cursors, streams) are
// passed through unobserved; the service uses none.
import pg from "pg";

/** Called when a statement starts; the returned function when it ends (with its error if it failed). */
export type QueryObserver = (statement: string) => (error?: Error) => void;

export function observedClient(observe: QueryObserver): typeof pg.Client {
  return class ObservedClient extends pg.Client {
    // The overloads of pg's query() (text, config, callback, promise) all arrive here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const first: unknown = args[0];
      const statement = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
      if (typeof statement !== "string") return super.query(...(args as Parameters<pg.Client["query"]>));
      const end = observe(statement);
      const callback: unknown = args[args.length - 1];
      if (typeof callback === "function") {
        args[args.length - 1] = (error: Error | undefined, result: unknown) => {
          end(error ?? undefined);
          callback(error, result);
        };
        return super.query(...(args as Parameters<pg.Client["query"]>));
      }
      const result = super.query(...(args as Parameters<pg.Client["query"]>)) as unknown as Promise<unknown>;
      // A side branch: the caller still gets (and handles) the original promise.
      result.then(() => end(), (error: Error) => end(error));
      return result;
    }
  };
}

/** Every observer told of every statement. */
export function observeAll(...observers: QueryObserver[]): QueryObserver {
  return (statement) => {
    const ends = observers.map((observe) => observe(statement));
    return (error) => ends.forEach((end) => end(error));
  };
}

const STATEMENT_CHARS = 200;
// The service's statements are constants in its code, so each is shortened once; bounded anyway.
const shortened = new Map<string, string>();
const SHORTENED_KEPT = 1000;

/** A statement on one line, comments dropped (a migration file starts with some), at most 200 characters. */
export function shortStatement(statement: string): string {
  let short = shortened.get(statement);
  if (short === undefined) {
    short = statement.replace(/--[^\n]*/g, "").replace(/\s+/g, " ").trim().slice(0, STATEMENT_CHARS);
    if (shortened.size >= SHORTENED_KEPT) shortened.clear();
    shortened.set(statement, short);
  }
  return short;
}
