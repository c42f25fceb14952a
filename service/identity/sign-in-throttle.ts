// Slows password guessing per account without letting an attacker lock the real user out.
//
//   per account and address   5 free failures, then a delay doubling from 1 s up to 15 min: one source
//                             guessing one account gets a handful of tries a day.
//   per account               20 free failures from all addresses together, then a delay doubling up
//                             to 5 min: a botnet spreading its guesses gets at most one every 5 minutes.
//                             Addresses this account signed in from in the last 30 days are exempt, so a
//                             distributed attack cannot keep the real user out from home or work.
//   both                      forgotten a day after the last failure; a success clears them.
//
// Counted in PostgreSQL (shared by every instance, on its clock), keyed by the account, not the sign-in
// form: fetching a new form resets nothing. A throttled attempt is refused before its password is hashed.
import { createHash } from "node:crypto";
import type { Queryable } from "../db/pool.js";

export interface ThrottlePolicy {
  freeFailures: number;
  maxDelaySeconds: number;
}

export const PER_ADDRESS: ThrottlePolicy = { freeFailures: 5, maxDelaySeconds: 15 * 60 };
export const PER_ACCOUNT: ThrottlePolicy = { freeFailures: 20, maxDelaySeconds: 5 * 60 };
const FORGET_AFTER = "1 day";
const KNOWN_ADDRESS_FOR = "30 days";
const WHOLE_ACCOUNT = "*";

/** Seconds to wait after the last of `failures` failures: none while free, then 1, 2, 4 ... up to the cap. */
export function throttleDelaySeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(2 ** (failures - policy.freeFailures), policy.maxDelaySeconds);
}

function accountHash(email: string): Buffer {
  return createHash("sha256").update(email.trim().toLowerCase()).digest();
}

/** Seconds this attempt must still wait (0: go ahead and check the password). */
export async function signInWaitSeconds(db: Queryable, email: string, address: string): Promise<number> {
  const { rows } = await db.query<{ address: string; failures: number; sinceFailure: number | null; known: boolean }>(
    `SELECT address,
       CASE WHEN last_failure_at > now() - $3::interval THEN failures ELSE 0 END AS failures,
       extract(epoch FROM now() - last_failure_at)::float8 AS "sinceFailure",
       coalesce(last_success_at > now() - $4::interval, false) AS known
     FROM sign_in_failures WHERE account_hash = $1 AND address IN ($2, '${WHOLE_ACCOUNT}')`,
    [accountHash(email), address, FORGET_AFTER, KNOWN_ADDRESS_FOR],
  );
  const own = rows.find((row) => row.address === address);
  const account = rows.find((row) => row.address === WHOLE_ACCOUNT);
  const remaining = (row: (typeof rows)[number] | undefined, policy: ThrottlePolicy) =>
    row ? Math.max(0, Math.ceil(throttleDelaySeconds(row.failures, policy) - (row.sinceFailure ?? 0))) : 0;
  return Math.max(remaining(own, PER_ADDRESS), own?.known ? 0 : remaining(account, PER_ACCOUNT));
}

export async function recordSignInFailure(db: Queryable, email: string, address: string): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_failures AS s (account_hash, address, failures, last_failure_at)
     VALUES ($1, $2, 1, now()), ($1, '${WHOLE_ACCOUNT}', 1, now())
     ON CONFLICT (account_hash, address) DO UPDATE SET
       failures = CASE WHEN s.last_failure_at > now() - $3::interval THEN s.failures + 1 ELSE 1 END,
       last_failure_at = now()`,
    [accountHash(email), address, FORGET_AFTER],
  );
}

export async function recordSignInSuccess(db: Queryable, email: string, address: string): Promise<void> {
  const account = accountHash(email);
  await db.query(
    `INSERT INTO sign_in_failures (account_hash, address, failures, last_success_at) VALUES ($1, $2, 0, now())
     ON CONFLICT (account_hash, address) DO UPDATE SET failures = 0, last_success_at = now()`,
    [account, address],
  );
  await db.query(`UPDATE sign_in_failures SET failures = 0 WHERE account_hash = $1 AND address = '${WHOLE_ACCOUNT}'`, [account]);
}

/** Deletes up to `batch` rows with no activity for the longest window above (OAuth clean-up). */
export async function deleteStaleSignInFailures(db: Queryable, batch: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM sign_in_failures WHERE ctid = ANY (ARRAY(
       SELECT ctid FROM sign_in_failures WHERE greatest(last_failure_at, last_success_at) < now() - $2::interval LIMIT $1))`,
    [batch, KNOWN_ADDRESS_FOR],
  );
  return result.rowCount ?? 0;
}
