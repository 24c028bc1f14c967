import { z } from "zod";

/**
 * Every environment variable the server reads, validated once at start-up.
 * An invalid value stops the app with a message naming the variable.
 * The README's table of variables mirrors this schema.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .url()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://")
    .optional(),
  /** Folder of the embedded database (and later, private documents). */
  DATA_DIR: z.string().min(1).default("./data"),
  /** Public origin used in emailed links, e.g. https://tadamon.example. Unset: the request's origin. */
  APP_URL: z.string().url().optional(),
  /** Secret for keyed hashes (HMAC). Required in production. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Resend API key. Unset: emails are kept for the dev mailbox. */
  RESEND_API_KEY: z.string().min(1).optional(),
  /** Base URL of Resend's API (tests point it at a local stand-in). */
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default("Tadamon <no-reply@tadamon.local>"),
  /** Stripe secret key (sk_live_… / sk_test_…). Unset: card payments use the built-in stand-in outside production, and are hidden in production. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Signing secret of the /webhooks/stripe endpoint (whsec_…). Unset outside production: a fixed dev secret (the stand-in signs with it). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Base URL of Stripe's API (tests point the SDK at a local stand-in through its host, port and protocol). */
  STRIPE_API_BASE: z.string().url().optional(),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Trust X-Forwarded-For for the client IP (behind a reverse proxy). */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Seed demo data at start: auto = only into an empty embedded database. */
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  /** Run the background job worker in this process. */
  JOBS: z
    .enum(["on", "off"])
    .default("on"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /**
   * Secret key of the keyed hashes (HMAC-SHA256) of ID numbers and phones used to find the same
   * household across organisations. Required in production; every server of one platform shares it.
   */
  IDENTITY_HASH_SECRET: z.string().min(32).optional(),
  /** Largest multipart upload (evidence documents), in bytes: 10 MB files plus form fields. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(10_485_760 + 262_144),
  /** Private document storage: a local folder (default, under DATA_DIR) or S3-compatible storage. */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** For S3-compatible services (MinIO, Ceph…), e.g. http://127.0.0.1:9000. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files often produce them.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
    throw new Error("Invalid environment variables:\n  SESSION_SECRET: required in production (32 characters or more)");
  }
  if (env.NODE_ENV === "production" && !env.IDENTITY_HASH_SECRET) {
    throw new Error("Invalid environment variables:\n  IDENTITY_HASH_SECRET: required in production (32 characters or more)");
  }
  if (env.STRIPE_SECRET_KEY && env.NODE_ENV === "production" && !env.STRIPE_WEBHOOK_SECRET) {
    throw new Error("Invalid environment variables:\n  STRIPE_WEBHOOK_SECRET: required in production with STRIPE_SECRET_KEY (card payments land through the webhook)");
  }
  if (env.STORAGE_DRIVER === "s3" && !env.S3_BUCKET) {
    throw new Error("Invalid environment variables:\n  S3_BUCKET: required when STORAGE_DRIVER=s3");
  }
  return env;
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}

/** For tests only. */
export function resetEnvCache() {
  cached = undefined;
}

export const isProduction = () => env().NODE_ENV === "production";
