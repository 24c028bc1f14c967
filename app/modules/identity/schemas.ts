import { z } from "zod";
import { supportedLngs } from "~/utils/i18n";
import { NUMERALS } from "~/utils/numerals";

/**
 * The account forms' schemas, shared by the browser (conform's constraints and live validation)
 * and the server (the authoritative parse). Every message is an i18n key, translated where it is
 * shown (app/components/forms.tsx), so one schema speaks Arabic and English.
 */

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const DISPLAY_NAME_MAX = 80;
export const EMAIL_MAX = 254;

/** A string field that must be present. (conform turns an empty input into `undefined`.) */
function requiredString() {
  return z.string({ required_error: "errors:required", invalid_type_error: "errors:invalid" });
}

const EmailField = requiredString()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, { message: "errors:tooLong" })
  .email({ message: "errors:invalidEmail" });

/** A password being chosen. Never trimmed: spaces are part of a passphrase. */
const NewPasswordField = requiredString()
  .min(PASSWORD_MIN, { message: "auth:errors.passwordTooShort" })
  .max(PASSWORD_MAX, { message: "auth:errors.passwordTooLong" });

/** A password being typed to prove who you are: only present and not absurdly long. */
const CurrentPasswordField = requiredString().max(PASSWORD_MAX, { message: "auth:errors.passwordTooLong" });

const DisplayNameField = requiredString()
  .trim()
  .min(1, { message: "errors:required" })
  .max(DISPLAY_NAME_MAX, { message: "errors:tooLong" });

const LocaleField = z.enum(supportedLngs, {
  errorMap: () => ({ message: "errors:invalidChoice" }),
});

/** Emailed tokens are 32 characters of lower-case base32 (see tokens.ts). */
const TokenField = requiredString().regex(/^[a-z2-7]{32}$/, { message: "auth:errors.linkInvalid" });

function passwordsMatch(key: "password" | "newPassword") {
  return (value: { confirmPassword: string } & Partial<Record<typeof key, string>>, ctx: z.RefinementCtx) => {
    if (value[key] !== value.confirmPassword) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["confirmPassword"],
        message: "auth:errors.passwordsDontMatch",
      });
    }
  };
}

export const SignUpSchema = z
  .object({
    displayName: DisplayNameField,
    email: EmailField,
    password: NewPasswordField,
    confirmPassword: CurrentPasswordField,
  })
  .superRefine(passwordsMatch("password"));

export const SignInSchema = z.object({
  email: EmailField,
  password: CurrentPasswordField,
  redirectTo: z.string().max(2000).optional(),
});

/** "Send me a new confirmation link" and "I forgot my password" ask only for the address. */
export const EmailOnlySchema = z.object({ email: EmailField });
export const ResendVerificationSchema = EmailOnlySchema;
export const ForgotPasswordSchema = EmailOnlySchema;

export const ResetPasswordSchema = z
  .object({
    token: TokenField,
    password: NewPasswordField,
    confirmPassword: CurrentPasswordField,
  })
  .superRefine(passwordsMatch("password"));

export const ChangePasswordSchema = z
  .object({
    currentPassword: CurrentPasswordField,
    newPassword: NewPasswordField,
    confirmPassword: CurrentPasswordField,
  })
  .superRefine((value, ctx) => {
    if (value.newPassword === value.currentPassword) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["newPassword"],
        message: "auth:errors.passwordUnchanged",
      });
    }
  })
  .superRefine(passwordsMatch("newPassword"));

/** Latin or Arabic-Indic digits; a form without the field keeps the person's choice. */
const NumeralsField = z.enum(NUMERALS, { errorMap: () => ({ message: "errors:invalidChoice" }) });

export const ProfileSchema = z.object({
  displayName: DisplayNameField,
  locale: LocaleField,
  numerals: NumeralsField.optional(),
});

export const TokenQuerySchema = z.object({ token: TokenField });

/** Fields whose values a reply must never echo back into the page. */
export const PASSWORD_FIELDS = ["password", "confirmPassword", "currentPassword", "newPassword"];
