import { connect, migrate } from "../../db/client.server";

/** On PostgreSQL, migrate once before the workers start (each PGlite worker migrates its own). */
export default async function setup() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return;
  const database = await connect({ databaseUrl, dataDir: "unused" });
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
}
