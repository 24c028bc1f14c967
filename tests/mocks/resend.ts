import { http, HttpResponse } from "msw";

/** What the Resend stand-in received. */
export interface CapturedResendRequest {
  headers: Record<string, string>;
  body: {
    from: string;
    to: string[];
    subject: string;
    html?: string;
    text?: string;
  };
}

/**
 * msw handlers answering Resend's `POST /emails` at `baseUrl` (point RESEND_BASE_URL at it).
 * `respond` lets a test make the provider fail.
 */
export function resendHandlers(
  baseUrl: string,
  captured: CapturedResendRequest[],
  respond: (request: CapturedResendRequest) => Response | undefined = () => undefined,
) {
  return [
    http.post(`${baseUrl.replace(/\/$/, "")}/emails`, async ({ request }) => {
      const entry: CapturedResendRequest = {
        headers: Object.fromEntries(request.headers.entries()),
        body: (await request.json()) as CapturedResendRequest["body"],
      };
      captured.push(entry);
      return respond(entry) ?? HttpResponse.json({ id: `re_${captured.length}` });
    }),
  ];
}
