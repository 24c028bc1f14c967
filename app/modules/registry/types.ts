/** Types the registry's modules return and its components show (types live in modules, issue 11). */

/** A household document as listed on its page (never its bytes or storage key). */
export interface DocumentSummary {
  id: string;
  fileName: string;
  kind: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  uploadedByName: string;
  needId: string | null;
}
