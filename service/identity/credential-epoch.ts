// The credential epoch (migration 0003): a counter that triggers bump in the same transaction as every
// change that can end a credential or change what it authenticates as (key revoked, expiry or limits
// changed; user disabled or re-tiered; tenant renamed, re-tiered or deleted; membership removed; token
// family or access token revoked; signing key retired).
//
// A verification reads the epoch in the same statement as the credential, so while the database still
// holds that epoch, the verification's answer still holds. Compared as strings: a bigint exceeds a JS number.

/** SQL for the current epoch as text, to embed in a SELECT list. */
export const CREDENTIAL_EPOCH_SQL = "(SELECT value::text FROM credential_epoch)";
