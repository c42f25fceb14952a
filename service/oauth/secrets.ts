// Random credentials and their stored form. Every credential here carries 256 random bits, so a plain
// SHA-256 is enough to store it (a slow password hash would only cost CPU); only hashes reach the database.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: client secrets, codes, refresh tokens, authorization request ids. */
export function randomCredential(): string {
  return randomBytes(32).toString("base64url");
}

export function hashCredential(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function credentialMatches(value: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = Buffer.from(hashCredential(value), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) compared in constant time. */
export function pkceVerifierMatches(codeVerifier: string, codeChallenge: string): boolean {
  const derived = Buffer.from(createHash("sha256").update(codeVerifier, "ascii").digest("base64url"));
  const expected = Buffer.from(codeChallenge);
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}
