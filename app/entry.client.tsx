import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "~/utils/i18n";

declare global {
  interface Window {
    /** Written by root.tsx's Layout: the locale and its strings. */
    __i18n?: { locale: string; messages: Record<string, Record<string, unknown>> } | null;
  }
}

async function hydrate() {
  const root = window.__i18n;
  const lng = root?.locale ?? document.documentElement.lang ?? "ar";
  await i18next.use(initReactI18next).init({
    ...i18nConfig,
    lng,
    resources: root?.messages ? { [lng]: root.messages } : {},
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

hydrate();
