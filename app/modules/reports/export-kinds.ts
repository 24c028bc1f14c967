/** The CSV exports (exports.server.ts builds them); a plain module so the reports page can list them. */
export const EXPORT_KINDS = ["journal", "payments", "receipts", "disbursements", "reconciliation"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
