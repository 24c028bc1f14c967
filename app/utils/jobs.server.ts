import type { Database } from "#db/client.server";

// Placeholder replaced by the pg-boss worker (notifications helper).
export async function startJobs(_database: Database): Promise<void> {}
export async function stopJobs(): Promise<void> {}
