import { useEffect, useState } from "react";

/**
 * Donor pages ship no framework JavaScript (decision 032): they are server-rendered HTML whose
 * links and `<Form>` posts work on their own. What a page still wants a script for (copy, print,
 * share, one submission per form) lives here, twice reachable:
 * - on a page the browser loaded directly, `<EnhanceScript />` inlines `enhance` (well under a
 *   kilobyte gzipped) and it wires the buttons by their data attributes;
 * - on a page reached inside the hydrated staff app, `<JsButton>`'s React handler calls the same
 *   `runButton`.
 * Both functions are serialized with `Function.prototype.toString`, so they must use nothing but
 * browser globals and their own parameters.
 */
export function runButton(button: HTMLElement): void {
  const { action, value = "", done = "" } = button.dataset;
  const say = (text: string) => {
    const live = button.querySelector("[aria-live]");
    if (live && text) live.textContent = text;
  };
  if (action === "print") {
    window.print();
    return;
  }
  if (action === "share" && typeof navigator.share === "function") {
    navigator.share({ url: value, title: document.title }).catch(() => undefined);
    return;
  }
  if (navigator.clipboard) {
    navigator.clipboard.writeText(value).then(
      () => say(done),
      () => undefined,
    );
  }
}

/** The inline script: shows the JavaScript-only buttons, runs them, and sends each post form once. */
export function enhance(run: (button: HTMLElement) => void): void {
  const doc = document;
  doc.querySelectorAll<HTMLElement>("[data-js-only]").forEach((el) => {
    el.hidden = false;
  });
  // Steps that only a browser without JavaScript needs (the pledge form's "show the total").
  doc.querySelectorAll<HTMLElement>("[data-no-js]").forEach((el) => {
    el.hidden = true;
  });
  doc.addEventListener("click", (event) => {
    const target = event.target as Element | null;
    const button = target && target.closest ? target.closest<HTMLElement>("button[data-action]") : null;
    if (button) run(button);
    // Quick amounts are links that reload the page with ?amount=; here they fill the field in place.
    const fill = target && target.closest ? target.closest<HTMLElement>("a[data-fill]") : null;
    const field = fill ? (doc.getElementById(fill.dataset.fillTarget || "") as HTMLInputElement | null) : null;
    if (fill && field) {
      event.preventDefault();
      field.value = fill.dataset.fill || "";
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    }
  });
  // Money the page works out live: the pledge form's chosen items total and the card fee estimate.
  const show = (out: HTMLElement, minor: number) => {
    const digits = Number(out.dataset.digits || "0");
    out.textContent = new Intl.NumberFormat(out.dataset.intlLocale || "en-GB", {
      style: "currency",
      currency: out.dataset.currency || "USD",
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / Math.pow(10, digits));
  };
  doc.addEventListener("input", (event) => {
    const input = event.target as HTMLInputElement;
    const form = input.form;
    if (!form) return;
    if (input.dataset.unitCost !== undefined) {
      let total = 0;
      form.querySelectorAll<HTMLInputElement>("input[data-unit-cost]").forEach((line) => {
        const quantity = Number(line.value);
        if (Number.isInteger(quantity) && quantity > 0) total += quantity * Number(line.dataset.unitCost);
      });
      form.querySelectorAll<HTMLElement>("[data-items-total]").forEach((out) => show(out, total));
    }
    if (input.name === "amount") {
      form.querySelectorAll<HTMLElement>("[data-fee-estimate]").forEach((out) => {
        const digits = Number(out.dataset.digits || "0");
        const typed = input.value.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace("\u066B", ".").trim();
        const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(typed);
        if (!match || (match[2] || "").length > digits) return;
        const minor = Number(match[1] + (match[2] || "").padEnd(digits, "0"));
        if (minor <= 0) return;
        show(out, Math.ceil((minor * Number(out.dataset.feeRate)) / 1e6) + Number(out.dataset.feeFixed));
      });
    }
  });
  // A second tap on a slow connection must not post twice (the server's idempotency key would
  // catch it, but the donor would wait for two answers). GET forms (filters) are left alone.
  doc.addEventListener("submit", (event) => {
    const form = event.target as HTMLFormElement;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
  });
  // Back/forward cache: a page shown again must accept a new submission.
  window.addEventListener("pageshow", () => {
    doc.querySelectorAll<HTMLFormElement>("form[data-sending]").forEach((form) => {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });
  });
}

export function enhanceSource(): string {
  return `(${enhance.toString()})(${runButton.toString()});`;
}

/** `nonce`: the response's Content-Security-Policy nonce (decision 052); the page has no other script. */
export function EnhanceScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: enhanceSource() }} />;
}

/** True once React runs in the browser (a page inside the hydrated app). */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * A button that needs JavaScript: rendered hidden (so a browser without JavaScript never shows
 * a dead control), shown by the inline script or by hydration.
 */
export function JsButton({
  action,
  value = "",
  label,
  done = "",
  className,
  testId,
}: {
  action: "copy" | "print" | "share";
  value?: string;
  label: string;
  /** Announced after a copy. */
  done?: string;
  className?: string;
  testId?: string;
}) {
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      hidden={!hydrated}
      data-js-only=""
      data-action={action}
      data-value={value}
      data-done={done}
      data-testid={testId}
      className={className}
      onClick={(event) => runButton(event.currentTarget)}
    >
      <span aria-live="polite">{label}</span>
    </button>
  );
}
