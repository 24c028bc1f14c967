import arCommon from "./ar/common.json";
import enCommon from "./en/common.json";
import arAuth from "./ar/auth.json";
import enAuth from "./en/auth.json";
import arStaff from "./ar/staff.json";
import enStaff from "./en/staff.json";
import arAdmin from "./ar/admin.json";
import enAdmin from "./en/admin.json";
import arErrors from "./ar/errors.json";
import enErrors from "./en/errors.json";
import arEmail from "./ar/email.json";
import arRegistry from "./ar/registry.json";
import enRegistry from "./en/registry.json";
import arNeeds from "./ar/needs.json";
import enNeeds from "./en/needs.json";
import enEmail from "./en/email.json";
import arPublic from "./ar/public.json";
import enPublic from "./en/public.json";
import arPledging from "./ar/pledging.json";
import enPledging from "./en/pledging.json";
import arPayments from "./ar/payments.json";
import enPayments from "./en/payments.json";
import arLedger from "./ar/ledger.json";
import enLedger from "./en/ledger.json";
import arReceipts from "./ar/receipts.json";
import enReceipts from "./en/receipts.json";
import arCard from "./ar/card.json";
import arFinance from "./ar/finance.json";
import enFinance from "./en/finance.json";
import enCard from "./en/card.json";
import arDisbursements from "./ar/disbursements.json";
import enDisbursements from "./en/disbursements.json";
import arPayees from "./ar/payees.json";
import enPayees from "./en/payees.json";
import arPayouts from "./ar/payouts.json";
import enPayouts from "./en/payouts.json";
import arStatements from "./ar/statements.json";
import enStatements from "./en/statements.json";

import arReports from "./ar/reports.json";
import enReports from "./en/reports.json";

import arReconciliation from "./ar/reconciliation.json";
import enReconciliation from "./en/reconciliation.json";
import arGiving from "./ar/giving.json";
import enGiving from "./en/giving.json";
/** Every string the app shows, by locale and namespace. A test checks both locales have the same keys. */
export const resources = {
  ar: { common: arCommon, auth: arAuth, staff: arStaff, admin: arAdmin, errors: arErrors, email: arEmail, registry: arRegistry, needs: arNeeds, public: arPublic, pledging: arPledging, payments: arPayments, ledger: arLedger, receipts: arReceipts, card: arCard, finance: arFinance, payouts: arPayouts, payees: arPayees, disbursements: arDisbursements, reports: arReports, reconciliation: arReconciliation, statements: arStatements, giving: arGiving },
  en: { common: enCommon, auth: enAuth, staff: enStaff, admin: enAdmin, errors: enErrors, email: enEmail, registry: enRegistry, needs: enNeeds, public: enPublic, pledging: enPledging, payments: enPayments, ledger: enLedger, receipts: enReceipts, card: enCard, finance: enFinance, payouts: enPayouts, payees: enPayees, disbursements: enDisbursements, reports: enReports, reconciliation: enReconciliation, statements: enStatements, giving: enGiving },
} as const;
