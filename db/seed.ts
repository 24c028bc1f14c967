import type { Db } from "./client.server";

// Placeholder replaced by the demo seed.
export async function seedIfEmpty(_db: Db): Promise<void> {}
