-- Failed sign-ins, per account and per account and client address (identity/sign-in-throttle.ts). The
-- account is the SHA-256 of the lower-cased email, so unknown emails are throttled exactly like real
-- ones and the table is no list of addresses people sign in with.
CREATE TABLE sign_in_failures (
  account_hash     bytea NOT NULL,
  -- The client address key (ratelimit/policies.ts: IPv4, or an IPv6 /64), or '*' for the whole account.
  address          text NOT NULL,
  failures         integer NOT NULL DEFAULT 0,
  last_failure_at  timestamptz,
  -- A successful sign-in from this address: it is then exempt from the account-wide delay.
  last_success_at  timestamptz,
  PRIMARY KEY (account_hash, address)
);
CREATE INDEX sign_in_failures_last_activity_idx ON sign_in_failures (greatest(last_failure_at, last_success_at));
