import { createContext, useContext } from "react";

/**
 * Where a server render may leave HTML it already has as bytes (decision 078): given the fragment,
 * the sink answers a marker to render in its place, and the page's bytes are assembled from the
 * encoded frame and the fragments' remembered bytes (app/utils/html-fragments.server.ts). Only a
 * page rendered whole has one; elsewhere (streaming, the browser) the fragment is rendered as is.
 */
export interface FragmentSink {
  marker(html: string): string;
}

const FragmentContext = createContext<FragmentSink | null>(null);

export const FragmentProvider = FragmentContext.Provider;

/** An element whose content is trusted, already rendered HTML (a remembered card). */
export function RawHtml({ as: Tag, html }: { as: "li" | "div"; html: string }) {
  const sink = useContext(FragmentContext);
  return <Tag dangerouslySetInnerHTML={{ __html: sink ? sink.marker(html) : html }} />;
}
