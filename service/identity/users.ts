import type { Queryable } from "../db/pool.js";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";
import type { Tier } from "./tiers.js";

export interface User {
  id: string;
  email: string;
  displayName: string | null;
  tier: Tier;
  isAdmin: boolean;
  createdAt: Date;
}

export interface Membership {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  role: "owner" | "admin" | "member";
}

const COLUMNS = `id, email, display_name AS "displayName", tier, is_admin AS "isAdmin", created_at AS "createdAt"`;

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  tier?: Tier;
  isAdmin?: boolean;
}

/** `passwordCost`: config.passwordHashCost (passwords.ts). */
export async function createUser(db: Queryable, input: NewUser, passwordCost: number): Promise<User> {
  const passwordHash = await hashPassword(input.password, passwordCost);
  const { rows } = await db.query<User>(
    `INSERT INTO users (email, password_hash, display_name, tier, is_admin)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.email.trim(), passwordHash, input.displayName ?? null, input.tier ?? "free", input.isAdmin ?? false],
  );
  return rows[0];
}

export async function addMembership(
  db: Queryable,
  input: { tenantId: string; userId: string; role?: Membership["role"] },
): Promise<void> {
  await db.query(
    `INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [input.tenantId, input.userId, input.role ?? "member"],
  );
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email.trim()]);
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function listMemberships(db: Queryable, userId: string): Promise<Membership[]> {
  const { rows } = await db.query<Membership>(
    `SELECT m.tenant_id AS "tenantId", t.slug AS "tenantSlug", t.name AS "tenantName", m.role
     FROM tenant_memberships m JOIN tenants t ON t.id = m.tenant_id
     WHERE m.user_id = $1 ORDER BY m.created_at, t.slug`,
    [userId],
  );
  return rows;
}

// Compared against when the email is unknown, so that a miss costs as much as a wrong password. Hashed
// on first use, per cost, rather than at import (cold start). A memo of a pure function, not shared state.
const unknownUserHashes = new Map<number, Promise<string>>();

function unknownUserHash(passwordCost: number): Promise<string> {
  let hash = unknownUserHashes.get(passwordCost);
  if (!hash) {
    hash = hashPassword("pierre-unknown-user", passwordCost);
    unknownUserHashes.set(passwordCost, hash);
  }
  return hash;
}

/**
 * The active user with this email and password, or undefined; timing does not reveal which part failed.
 * A matching hash older or weaker than `passwordCost` (config.passwordHashCost) is replaced on the way.
 */
export async function verifyCredentials(db: Queryable, email: string, password: string, passwordCost: number): Promise<User | undefined> {
  const { rows } = await db.query<User & { passwordHash: string; disabledAt: Date | null }>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash", disabled_at AS "disabledAt"
     FROM users WHERE lower(email) = lower($1)`,
    [email.trim()],
  );
  const row = rows[0];
  if (!row) {
    await verifyPassword(password, await unknownUserHash(passwordCost));
    return undefined;
  }
  const { passwordHash, disabledAt, ...user } = row;
  if (!(await verifyPassword(password, passwordHash)) || disabledAt) return undefined;
  if (needsRehash(passwordHash, passwordCost)) {
    // Only if unchanged meanwhile: a password reset racing this sign-in wins.
    await db.query(`UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, [
      await hashPassword(password, passwordCost), user.id, passwordHash,
    ]);
  }
  return user;
}
