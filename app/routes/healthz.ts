import { sql } from "drizzle-orm";
import { getDb } from "~/utils/db.server";

/** 200 only when the database answers; 503 otherwise. Never cached. */
export async function loader() {
  const headers = { "Cache-Control": "no-store", "Content-Type": "application/json" };
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return new Response(JSON.stringify({ status: "ok", database: "up" }), { status: 200, headers });
  } catch {
    return new Response(JSON.stringify({ status: "error", database: "down" }), { status: 503, headers });
  }
}
