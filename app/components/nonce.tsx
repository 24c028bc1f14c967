import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the response being rendered (decision 052). The server
 * provides it (app/entry.server.tsx); in the browser there is none to read (browsers hide a
 * nonce attribute's value once the page is parsed), so hydrating renders the scripts without
 * one: React keeps the server's elements, and Remix's script tags suppress the attribute warning.
 */
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

/** The nonce for an inline `<script>` (undefined in the browser). */
export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
