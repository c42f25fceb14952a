// What the caller of FitnessProvider.authorizationUrl generates per connect attempt: a random single-use
// state and a PKCE S256 pair (RFC 7636 §4.1-4.2). The verifier stays server-side with the state.
import { createHash, randomBytes } from "node:crypto";

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function createPkcePair(): PkcePair {
  // 32 random bytes give a 43-character verifier, the minimum length RFC 7636 allows, at full entropy.
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: pkceChallenge(verifier) };
}

export const pkceChallenge = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export const randomState = () => randomBytes(24).toString("base64url");
