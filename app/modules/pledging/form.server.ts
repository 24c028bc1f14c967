import { parseWithZod, unstable_coerceFormValue as coerceFormValue } from "@conform-to/zod";
import { PledgeFormSchema } from "./schemas";

/**
 * The pledge form's schema with Conform's form-value coercion (empty strings → undefined, "on" →
 * true, …) applied once for the process: `parseWithZod(formData, { schema })` would wrap every zod
 * type of the schema again on each post.
 */
const coercedPledgeForm = coerceFormValue(PledgeFormSchema);

/** The pledge form as `parseWithZod(formData, { schema: PledgeFormSchema })` parses it, same result. */
export function parsePledgeForm(formData: FormData) {
  return parseWithZod(formData, { schema: coercedPledgeForm, disableAutoCoercion: true });
}
