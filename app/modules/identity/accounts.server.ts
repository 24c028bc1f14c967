/**
 * Accounts: sign-up, email verification, sign-in with throttling, password reset and change,
 * profile. Every rule lives here; routes only guard, parse, call one function and reply.
 * Each operation is one transaction (never the outer `db` inside it: PGlite would hang).
 * Failures carry an i18n key (`message`) and, when it belongs to one input, the `field`.
 * An operation that queued an email asks for it to be sent (kickOutbox) once it has committed.
 *
 * Split by what it does (decision 061): account-signup (sign-up, verification), account-signin
 * (sign-in, sign-out, prunes), account-passwords (reset, change), account-profile, and the shared
 * steps in account-steps.
 */
export { VERIFY_EMAIL_TTL_MS, RESET_PASSWORD_TTL_MS, THROTTLE_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP, MAX_EMAILS_PER_WINDOW, accountContext } from "./account-steps.server";
export type { AccountContext, Failure, Throttled, LinkProblem } from "./account-steps.server";
export { signUp, verifyEmail, resendVerification } from "./account-signup.server";
export type { SignUpInput, SignUpResult } from "./account-signup.server";
export { signIn, signOut, pruneLoginAttempts, pruneRateLimits } from "./account-signin.server";
export type { SignInResult } from "./account-signin.server";
export { requestPasswordReset, checkResetToken, resetPassword, changePassword } from "./account-passwords.server";
export type { ChangePasswordResult } from "./account-passwords.server";
export { updateProfile } from "./account-profile.server";
