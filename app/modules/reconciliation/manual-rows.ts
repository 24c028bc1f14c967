/** How many reference rows the manual-match form offers (a split over up to this many pledges); shared by the page and its action. */
export const MANUAL_ROWS = 3;
