// Admin CLI: `npm run admin -- <command> [--flags]`. Uses the same configuration as the server; with no
// DATABASE_URL it attaches to the embedded cluster `npm start` is running (or starts it briefly).
import { randomBytes } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { listAuditEvents, recordAudit } from "../audit/trail.js";
import { composeService } from "../composition.js";
import { loadConfig } from "../config.js";
import { durationSchema } from "../duration.js";
import { migrate } from "../db/migrate.js";
import { isDatabaseUnavailable } from "../db/outage.js";
import { withTransaction, type Pool } from "../db/pool.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../identity/api-keys.js";
import { createTenant, findTenantBySlug } from "../identity/tenants.js";
import { TIERS } from "../identity/tiers.js";
import { addMembership, createUser, findUserByEmail } from "../identity/users.js";
import { createLogger, type Logger } from "../logging/index.js";
import { createA2aClient, findA2aClient, grantA2aAccess, revokeA2aAccess } from "../oauth/a2a-clients.js";
import { isKnownScope, parseScope } from "../oauth/scopes.js";
import type { SigningKeys } from "../oauth/signing-keys.js";
import { SCOPES } from "../identity/scopes.js";
import type { Keyring } from "../crypto/envelope.js";
import { replaceLocalMasterKey } from "../crypto/local-master-key.js";
import { resolveRuntime } from "../runtime.js";

const USAGE = `usage: npm run admin -- <command> [options]

  quickstart       --email E [--tenant SLUG] [--password P]   tenant + user + API key in one step
  create-tenant    --slug SLUG --name NAME [--tier free|pro|enterprise]
  create-user      --email E --tenant SLUG [--password P] [--name N] [--tier T] [--role owner|admin|member] [--admin]
  add-member       --email E --tenant SLUG [--role owner|admin|member]   an existing user joins (another) tenant
  create-api-key   --email E --tenant SLUG [--name N] [--tier T] [--burst N] [--monthly N] [--expires-days N]
  list-api-keys    --tenant SLUG [--email E]
  revoke-api-key   --tenant SLUG --prefix pk_live_XXXXXXXX
  create-a2a-client --tenant SLUG --name N [--description D]  an A2A client (another agent); its secret is printed once
  grant-a2a-access --tenant SLUG --client ID --email E [--scope "fitness:read"] [--expires-days N]
                                                              the client acts for this user (replaces its previous grant)
  revoke-a2a-access --tenant SLUG --client ID                 ends the client's grant; its tokens stop working at once
  rotate-signing-key                                          new OAuth signing key now; the old one verifies ~75 min more
  audit            [--tenant SLUG] [--since 24h] [--type T] [--limit N]   the audit trail, newest first (T: a type or a prefix like oauth.)
  rotate-master-key --new-key BASE64                          re-wrap every data key under a new master key (then deploy it
                                                              as TOKEN_ENCRYPTION_KEY; a local run's master.key is replaced)

Passwords not given are generated and printed once. API keys and A2A client secrets are printed once; only a hash is stored.
Commands that change something are recorded in the audit trail (admin.command) and logged to stderr.`;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes (2-63)");
const email = z.email();
const text = (max: number) => z.string().min(1).max(max);
const role = z.enum(["owner", "admin", "member"]).default("member");
const tier = z.enum(TIERS).optional();
const password = z.string().min(10, "at least 10 characters").optional();
const positive = z.coerce.number().int().positive().optional();
const STRING_FLAGS = [
  "email", "tenant", "password", "slug", "name", "tier", "role", "burst", "monthly", "expires-days", "prefix", "since", "type", "limit", "new-key",
  "client", "description", "scope",
];
/** Commands that only read, so are not audited. */
const READ_ONLY = new Set(["list-api-keys", "audit"]);
/** How far back `audit` reads: 30m, 24h, 7d. */
const since = durationSchema.prefault("24h").transform((ms) => new Date(Date.now() - ms));

interface Context {
  pool: Pool;
  passwordHashCost: number;
  signingKeys: SigningKeys;
  /** For the security_event lines of the audit trail (stderr: stdout is the command's result). */
  log: Logger;
  keyring: Keyring;
  /** Where the master key lives when TOKEN_ENCRYPTION_KEY is not set (a local run). */
  localMasterKeyDir: string | undefined;
}

class UsageError extends Error {}

/** A command validates its flags with its own schema, then runs with typed arguments. */
function command<S extends z.ZodType>(schema: S, handler: (ctx: Context, args: z.infer<S>) => Promise<unknown>) {
  return async (ctx: Context, raw: Record<string, unknown>) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
    }
    print(await handler(ctx, parsed.data));
  };
}

const commands = {
  quickstart: command(z.object({ email, tenant: slug.default("default"), password }), ({ pool, passwordHashCost, log }, args) =>
    withTransaction(pool, async (db) => {
      const tenant = (await findTenantBySlug(db, args.tenant)) ?? (await createTenant(db, { slug: args.tenant, name: args.tenant }));
      const secret = args.password ?? generatedPassword();
      const user = await createUser(db, { email: args.email, password: secret }, passwordHashCost);
      await addMembership(db, { tenantId: tenant.id, userId: user.id, role: "owner" });
      const { key, record } = await createApiKey(db, { tenantId: tenant.id, userId: user.id, name: "quickstart" });
      await recordAudit(db, log, { type: "api_key.created", tenantId: tenant.id, userId: user.id, target: record.prefix, details: { name: record.name } });
      return { tenant: tenant.slug, email: user.email, password: args.password ? "(as given)" : secret, apiKey: key };
    })),

  "create-tenant": command(z.object({ slug, name: text(200), tier }), async ({ pool }, args) => {
    const tenant = await createTenant(pool, args);
    return { tenant: tenant.slug, id: tenant.id, tier: tenant.tier };
  }),

  "create-user": command(
    z.object({
      email, tenant: slug, password, name: text(200).optional(), tier, role, admin: z.boolean().default(false),
    }),
    ({ pool, passwordHashCost }, args) =>
      withTransaction(pool, async (db) => {
        const tenant = await requireTenant(db, args.tenant);
        const secret = args.password ?? generatedPassword();
        const user = await createUser(db, { email: args.email, password: secret, displayName: args.name, tier: args.tier, isAdmin: args.admin }, passwordHashCost);
        await addMembership(db, { tenantId: tenant.id, userId: user.id, role: args.role });
        return { id: user.id, email: user.email, tenant: tenant.slug, role: args.role, tier: user.tier, password: args.password ? "(as given)" : secret };
      }),
  ),

  "add-member": command(z.object({ email, tenant: slug, role }), async ({ pool }, args) => {
    const tenant = await requireTenant(pool, args.tenant);
    const user = await requireUser(pool, args.email);
    await addMembership(pool, { tenantId: tenant.id, userId: user.id, role: args.role });
    return { email: user.email, tenant: tenant.slug, role: args.role };
  }),

  "create-api-key": command(
    z.object({ email, tenant: slug, name: text(200).default("cli"), tier, burst: positive, monthly: positive, "expires-days": positive }),
    async ({ pool, log }, args) => {
      const tenant = await requireTenant(pool, args.tenant);
      const user = await requireUser(pool, args.email);
      const expiresDays = args["expires-days"];
      const { key, record } = await withTransaction(pool, async (db) => {
        const created = await createApiKey(db, {
          tenantId: tenant.id, userId: user.id, name: args.name, tier: args.tier, burstPerMinute: args.burst,
          monthlyQuota: args.monthly, expiresAt: expiresDays ? new Date(Date.now() + expiresDays * 86_400_000) : undefined,
        });
        await recordAudit(db, log, { type: "api_key.created", tenantId: tenant.id, userId: user.id, target: created.record.prefix, details: { name: created.record.name } });
        return created;
      });
      return { apiKey: key, prefix: record.prefix, name: record.name, expiresAt: record.expiresAt };
    },
  ),

  "list-api-keys": command(z.object({ tenant: slug, email: email.optional() }), async ({ pool }, args) => {
    const tenant = await requireTenant(pool, args.tenant);
    const user = args.email ? await requireUser(pool, args.email) : undefined;
    const keys = await listApiKeys(pool, tenant.id, user?.id);
    return keys.map(({ prefix, name, tier: keyTier, createdAt, lastUsedAt, expiresAt, revokedAt }) =>
      ({ prefix, name, tier: keyTier, createdAt, lastUsedAt, expiresAt, revokedAt }));
  }),

  "revoke-api-key": command(z.object({ tenant: slug, prefix: z.string().regex(/^pk_live_[A-Za-z0-9]{8}$/) }), async ({ pool, log }, args) => {
    const tenant = await requireTenant(pool, args.tenant);
    await withTransaction(pool, async (db) => {
      if (!(await revokeApiKey(db, tenant.id, args.prefix))) throw new UsageError(`no active key ${args.prefix} in tenant ${tenant.slug}`);
      await recordAudit(db, log, { type: "api_key.revoked", tenantId: tenant.id, target: args.prefix });
    });
    return { revoked: args.prefix };
  }),

  "create-a2a-client": command(z.object({ tenant: slug, name: text(200), description: text(1000).optional() }), async ({ pool }, args) => {
    const tenant = await requireTenant(pool, args.tenant);
    const { client, secret } = await createA2aClient(pool, { tenantId: tenant.id, name: args.name, description: args.description });
    return { clientId: client.id, clientSecret: secret, tenant: tenant.slug, name: client.name, next: "grant-a2a-access --client <clientId> --email <user>" };
  }),

  "grant-a2a-access": command(
    z.object({
      tenant: slug,
      client: z.uuid(),
      email,
      scope: z.string().default(SCOPES.join(" ")).refine((value) => parseScope(value).length > 0 && parseScope(value).every(isKnownScope), `scopes among: ${SCOPES.join(" ")}`),
      "expires-days": z.coerce.number().int().positive().max(3650).default(365),
    }),
    async ({ pool }, args) => {
      const tenant = await requireTenant(pool, args.tenant);
      const client = await requireA2aClient(pool, tenant.id, args.client);
      const user = await requireUser(pool, args.email);
      const consent = await withTransaction(pool, (db) =>
        grantA2aAccess(db, client, user.id, parseScope(args.scope), new Date(Date.now() + args["expires-days"] * 86_400_000)),
      );
      if (!consent) throw new UsageError(`${user.email} is not a member of tenant ${tenant.slug}`);
      return { clientId: client.id, actsFor: user.email, scope: consent.scopes.join(" "), expiresAt: consent.expiresAt };
    },
  ),

  "revoke-a2a-access": command(z.object({ tenant: slug, client: z.uuid() }), async ({ pool }, args) => {
    const tenant = await requireTenant(pool, args.tenant);
    const client = await requireA2aClient(pool, tenant.id, args.client);
    if (!(await revokeA2aAccess(pool, client))) throw new UsageError(`client ${client.id} has no live grant`);
    return { revoked: client.id };
  }),

  "rotate-signing-key": command(z.object({}), ({ signingKeys }) => signingKeys.rotate()),

  audit: command(
    z.object({ tenant: slug.optional(), since, type: z.string().regex(/^[a-z_]+(\.[a-z_]*)?$/, "an event type such as oauth.login_failed, or a prefix such as oauth.").optional(), limit: z.coerce.number().int().min(1).max(10_000).default(100) }),
    async ({ pool }, args) => {
      const tenant = args.tenant ? await requireTenant(pool, args.tenant) : undefined;
      return listAuditEvents(pool, { tenantId: tenant?.id, since: args.since, type: args.type, limit: args.limit });
    },
  ),

  "rotate-master-key": command(
    z.object({
      "new-key": z
        .string()
        .transform((value) => Buffer.from(value, "base64"))
        .refine((key) => key.length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)"),
    }),
    async ({ keyring, localMasterKeyDir }, args) => {
      const rewrapped = await keyring.rotateMasterKey(args["new-key"]);
      if (localMasterKeyDir) await replaceLocalMasterKey(localMasterKeyDir, args["new-key"]);
      return { rewrappedDataKeys: rewrapped, next: localMasterKeyDir ? "master.key replaced" : "set TOKEN_ENCRYPTION_KEY to the new key and redeploy" };
    },
  ),
};

async function requireTenant(db: Parameters<typeof findTenantBySlug>[0], tenantSlug: string) {
  const tenant = await findTenantBySlug(db, tenantSlug);
  if (!tenant) throw new UsageError(`no tenant ${tenantSlug}`);
  return tenant;
}

async function requireA2aClient(db: Pool, tenantId: string, clientId: string) {
  const client = await findA2aClient(db, tenantId, clientId);
  if (!client) throw new UsageError(`no A2A client ${clientId} in this tenant`);
  return client;
}

async function requireUser(db: Parameters<typeof findUserByEmail>[0], address: string) {
  const user = await findUserByEmail(db, address);
  if (!user) throw new UsageError(`no user ${address}`);
  return user;
}

/** The flags of a command as the audit trail keeps them: names and values, a password only as given or not. */
function auditedFlags(values: Record<string, unknown>): Record<string, unknown> {
  // Secrets are recorded only as given or not: a password, a new master key.
  const { password, "new-key": newKey, ...rest } = values;
  const given = Object.fromEntries(Object.entries({ password, "new-key": newKey }).filter(([, value]) => value !== undefined).map(([flag]) => [flag, "(given)"]));
  return { ...rest, ...given, operator: `${userInfo().username}@${hostname()}` };
}

function generatedPassword(): string {
  return randomBytes(15).toString("base64url");
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

// What went wrong in words an operator can act on, never PostgreSQL's raw text alone.
const ALREADY_EXISTS: Record<string, string> = {
  users_email_key: "a user with this email already exists (add-member puts an existing user in another tenant)",
  tenants_slug_key: "a tenant with this slug already exists",
};

function explain(error: unknown): string {
  if (isDatabaseUnavailable(error)) return `cannot reach the database (${(error as Error).message || "connection refused"}); is it running, and is DATABASE_URL right?`;
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === "23505") return ALREADY_EXISTS[constraint ?? ""] ?? "already exists";
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return `the database refused the command (SQLSTATE ${code})`;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || !(name in commands)) {
    console.error(USAGE);
    return name ? 2 : 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: "string" as const }])),
      admin: { type: "boolean" },
    },
    strict: true,
  });
  const parsedConfig = loadConfig(process.env);
  const runtime = await resolveRuntime(parsedConfig, () => {});
  const { config } = runtime;
  // Log lines (the audit trail's security events, warnings) go to stderr: stdout is the command's result.
  const log = createLogger({ stream: process.stderr, pretty: process.stderr.isTTY, projectId: config.googleCloudProject });
  const service = composeService(config, log);
  const { pool } = service;
  try {
    await migrate(pool);
    await commands[name as keyof typeof commands]({
      pool,
      passwordHashCost: config.passwordHashCost,
      signingKeys: service.signingKeys,
      log,
      keyring: service.keyring!,
      localMasterKeyDir: parsedConfig.encryptionMasterKey ? undefined : config.dataDir,
    }, values);
    if (!READ_ONLY.has(name)) await recordAudit(pool, log, { type: "admin.command", target: name, details: auditedFlags(values) });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await service.close();
    await runtime.release();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(explain(error));
  return 1;
});
