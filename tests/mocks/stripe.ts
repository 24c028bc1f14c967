import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small local stand-in of Stripe's HTTP API for tests (the SDK's host/port/protocol options:
 * point STRIPE_API_BASE at `url`). Implements what the app calls:
 * - POST /v1/checkout/sessions → a session (id cs_test_mock_N, url, the params echoed back)
 * - GET  /v1/payment_intents/:id?expand[]=latest_charge.balance_transaction → the charge and its fee
 * - GET  /v1/refunds?charge=… → the refunds set with `refundsFor`
 * - POST /v1/refunds → a succeeded refund
 * - GET  /v1/balance_transactions?payout=…&type=charge[&expand[]=data.source] → the charges a payout
 *   carried, set with `payoutCharges` (the source expanded to the charge with its payment intent)
 * - GET  /v1/charges/:id → a charge of a payout's list (its payment intent)
 * - DELETE /v1/subscriptions/:id → a cancelled subscription (kept in `cancelledSubscriptions`)
 * - GET  /v1/invoice_payments?invoice=… → the payments set with `invoicePayments` (payment intent, status)
 * Every request is kept in `requests` (method, path, headers, the form-encoded body flattened).
 */
export interface StripeMockRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Stripe's form encoding, flattened: { "line_items[0][price_data][unit_amount]": "15000000", … }. */
  body: Record<string, string>;
}

export interface StripeMock {
  url: string;
  requests: StripeMockRequest[];
  /** The payment intents GET answers (Stripe units): amount, currency (lower case), Stripe's fee on its balance transaction. */
  intents: Map<string, { amount: number; currency: string; fee: number }>;
  /** The refunds listed for a charge. */
  refundsFor: Map<string, Array<{ id: string; amount: number; status: string }>>;
  /** The charges a payout carried (Stripe units): their payment intent, amount, currency (lower case) and fee. */
  payoutCharges: Map<string, Array<{ paymentIntent: string; amount: number; currency: string; fee: number }>>;
  /** The payments of an invoice, as `invoicePayments.list` answers them. */
  invoicePayments: Map<string, Array<{ paymentIntent: string; status: string }>>;
  cancelledSubscriptions: string[];
  close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startStripeMock(): Promise<StripeMock> {
  const mock: Omit<StripeMock, "url" | "close"> = {
    requests: [],
    intents: new Map(),
    refundsFor: new Map(),
    payoutCharges: new Map(),
    invoicePayments: new Map(),
    cancelledSubscriptions: [],
  };
  const sessions = new Map<string, Record<string, unknown>>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const raw = await readBody(req);
      const body = Object.fromEntries(new URLSearchParams(raw).entries());
      const query = Object.fromEntries(url.searchParams.entries());
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v ?? "")]));
      mock.requests.push({ method: req.method ?? "GET", path: url.pathname, query, headers, body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json", "Request-Id": `req_mock_${mock.requests.length}` });
        res.end(JSON.stringify(json));
      };

      if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
        // Stripe answers the same session for a repeated idempotency key.
        const key = headers["idempotency-key"];
        const existing = key ? sessions.get(key) : undefined;
        if (existing) return send(200, existing);
        const id = `cs_test_mock_${sessions.size + 1}_${randomBytes(8).toString("hex")}`;
        const session = {
          id,
          object: "checkout.session",
          mode: body.mode,
          status: "open",
          payment_status: "unpaid",
          url: `https://checkout.stripe.test/c/pay/${id}`,
          currency: body["line_items[0][price_data][currency]"],
          client_reference_id: body.client_reference_id ?? null,
          locale: body.locale ?? null,
          expires_at: Number(body.expires_at ?? 0),
          metadata: Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (k.startsWith("metadata[") ? [[k.slice(9, -1), v]] : []))),
        };
        if (key) sessions.set(key, session);
        return send(200, session);
      }
      const intent = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)$/);
      if (req.method === "GET" && intent) {
        const id = decodeURIComponent(intent[1]);
        const known = mock.intents.get(id);
        if (!known) return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such payment_intent: '${id}'` } });
        const { amount, currency, fee } = known;
        const expanded = Object.values(query).includes("latest_charge.balance_transaction") || query["expand[0]"] === "latest_charge.balance_transaction";
        const charge = {
          id: `ch_${id}`,
          object: "charge",
          amount,
          currency,
          balance_transaction: expanded ? { id: `txn_${id}`, object: "balance_transaction", amount, currency, fee, net: amount - fee } : `txn_${id}`,
        };
        return send(200, { id, object: "payment_intent", amount, currency, status: "succeeded", latest_charge: expanded ? charge : charge.id });
      }
      if (req.method === "GET" && url.pathname === "/v1/refunds") {
        const data = mock.refundsFor.get(query.charge ?? "") ?? [];
        return send(200, { object: "list", data: data.map((r) => ({ object: "refund", charge: query.charge, ...r })), has_more: false, url: "/v1/refunds" });
      }
      if (req.method === "GET" && url.pathname === "/v1/balance_transactions") {
        // Stripe pages by 10 by default (limit up to 100) and continues after `starting_after`.
        const all = (mock.payoutCharges.get(query.payout ?? "") ?? []).filter(() => !query.type || query.type === "charge");
        const expanded = Object.entries(query).some(([k, v]) => k.startsWith("expand") && v === "data.source");
        const rows = all.map((c, i) => {
          const charge = { id: `ch_${c.paymentIntent}`, object: "charge", amount: c.amount, currency: c.currency, payment_intent: c.paymentIntent };
          return { id: `txn_${query.payout}_${i + 1}`, object: "balance_transaction", type: "charge", amount: c.amount, currency: c.currency, fee: c.fee, net: c.amount - c.fee, source: expanded ? charge : charge.id };
        });
        const limit = Math.min(100, Math.max(1, Number(query.limit ?? 10)));
        const from = query.starting_after ? rows.findIndex((r) => r.id === query.starting_after) + 1 : 0;
        const page = rows.slice(from, from + limit);
        return send(200, { object: "list", data: page, has_more: from + limit < rows.length, url: "/v1/balance_transactions" });
      }
      const chargeMatch = url.pathname.match(/^\/v1\/charges\/ch_([^/]+)$/);
      if (req.method === "GET" && chargeMatch) {
        const pi = decodeURIComponent(chargeMatch[1]);
        const known = [...mock.payoutCharges.values()].flat().find((c) => c.paymentIntent === pi);
        if (!known) return send(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such charge: 'ch_${pi}'` } });
        return send(200, { id: `ch_${pi}`, object: "charge", amount: known.amount, currency: known.currency, payment_intent: pi });
      }
      const subscription = url.pathname.match(/^\/v1\/subscriptions\/([^/]+)$/);
      if (req.method === "DELETE" && subscription) {
        const id = decodeURIComponent(subscription[1]);
        mock.cancelledSubscriptions.push(id);
        return send(200, { id, object: "subscription", status: "canceled" });
      }
      if (req.method === "GET" && url.pathname === "/v1/invoice_payments") {
        const data = (mock.invoicePayments.get(query.invoice ?? "") ?? []).map((p, i) => ({
          id: `inpay_${query.invoice}_${i + 1}`,
          object: "invoice_payment",
          invoice: query.invoice,
          status: p.status,
          payment: { type: "payment_intent", payment_intent: p.paymentIntent },
        }));
        return send(200, { object: "list", data, has_more: false, url: "/v1/invoice_payments" });
      }
      if (req.method === "POST" && url.pathname === "/v1/refunds") {
        return send(200, { id: `re_mock_${mock.requests.length}`, object: "refund", amount: Number(body.amount), payment_intent: body.payment_intent, status: "succeeded" });
      }
      send(404, { error: { type: "invalid_request_error", message: `mock: no route ${req.method} ${url.pathname}` } });
    })().catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  });
}

/**
 * For a describe block: before each test a fresh stand-in of Stripe's API, with STRIPE_SECRET_KEY
 * and STRIPE_API_BASE pointing the app's SDK at it; after each, the environment as it was. The
 * returned getter answers the current test's mock.
 */
export function useStripeApiStandIn(hooks: { beforeEach: (fn: () => Promise<void>) => void; afterEach: (fn: () => Promise<void>) => void }): () => StripeMock {
  let mock: StripeMock | null = null;
  const saved = { key: process.env.STRIPE_SECRET_KEY, base: process.env.STRIPE_API_BASE };
  hooks.beforeEach(async () => {
    mock = await startStripeMock();
    process.env.STRIPE_SECRET_KEY = "sk_test_mock";
    process.env.STRIPE_API_BASE = mock.url;
  });
  hooks.afterEach(async () => {
    for (const [name, value] of [["STRIPE_SECRET_KEY", saved.key], ["STRIPE_API_BASE", saved.base]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await mock?.close();
  });
  return () => {
    if (!mock) throw new Error("the Stripe stand-in starts before each test");
    return mock;
  };
}
