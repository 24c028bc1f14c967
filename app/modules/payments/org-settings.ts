/**
 * Limits of the organisation admin's money settings, pure so the settings page's component can use
 * them as well as org-settings.server.ts (a route component may not import server-only modules).
 */
export const LEGAL_NAME_MAX = 200;
export const REGISTRATION_NUMBER_MAX = 100;
