// Password hashes: scrypt (memory-hard, in Node's crypto) computed on libuv's thread pool, so a flood of
// sign-ins cannot stall the event loop. bcryptjs ran cost 12 on the main thread: about 300 ms of CPU per
// attempt, and 24 concurrent wrong passwords pushed /health's p95 from 2 ms to 1.9 s (probe, issue 7).
// Hashes written before the switch are bcrypt; they still verify, and are replaced with scrypt at the
// user's next successful sign-in (needsRehash).
//
// Format: $scrypt$ln=<log2 N>,r=8,p=1$<salt, base64>$<key, base64>. ln=15 (N=32768, r=8) uses 32 MiB
// and about 100 ms of one pool thread per hash on this machine (median 99 ms over 9 verifications);
// OWASP's minimum is N=2^17 with r=8, which needs 128 MiB per concurrent hash, too much beside a 512 MiB
// Cloud Run instance.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import bcrypt from "bcryptjs";

const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SCRYPT_HASH = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$/;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // Node refuses a derivation above maxmem (default 32 MiB); allow what the parameters need, plus room.
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? BLOCK_SIZE) + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** A new hash at cost `logN` (config.passwordHashCost). */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** logN, r: BLOCK_SIZE, p: PARALLELISM });
  return `$scrypt$ln=${logN},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Whether `password` matches `stored` (scrypt, or a bcrypt hash from before scrypt); false for anything else. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const scryptHash = SCRYPT_HASH.exec(stored);
  if (scryptHash) {
    const [, logN, r, p, salt, key] = scryptHash;
    const expected = Buffer.from(key, "base64");
    const actual = await derive(password, Buffer.from(salt, "base64"), { N: 2 ** Number(logN), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
  if (BCRYPT_HASH.test(stored)) return bcrypt.compare(password, stored);
  return false;
}

/** Whether a verified hash should be replaced: bcrypt, or scrypt below the configured cost. */
export function needsRehash(stored: string, logN: number): boolean {
  const scryptHash = SCRYPT_HASH.exec(stored);
  return !scryptHash || Number(scryptHash[1]) < logN;
}
