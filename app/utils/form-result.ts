/** What a form action answers with (conform's SubmissionResult, as far as pages and modules read it). */
export interface ReplyResult {
  initialValue?: Record<string, unknown> | null;
  error?: Record<string, string[] | null> | null;
}
