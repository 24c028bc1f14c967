

export { PAYMENTS_PAGE_SIZE, JOURNAL_PAGE_SIZE, CSV_MAX_ROWS, type PayablePledge, searchPledges, payablePledge, cashFourEyesMinor, externalIdTaken } from "./inbox-pledges.server";
export { type MoneyAccountRow, listMoneyAccounts, defaultMoneyAccount, MoneyAccountError, createMoneyAccount, updateMoneyAccount, setMoneyAccountActive } from "./money-accounts.server";
export { type PaymentCounts, paymentCounts, type PaymentRow, listPayments, type PaymentDetail, paymentDetail, reallocationTargets, orgNeed, paymentByRequestKey } from "./payment-lists.server";
export { type TrialBalanceRow, trialBalance, type NeedFundRow, needFunds, ledgerAccountOptions, journal, journalCsvRows } from "./journal.server";

