/**
 * One alert per suspicious run: an alert is raised when a student's windows
 * have been suspicious `confirm` times in a row after a permitted one (or after
 * the student's first window, so a student who starts in a browser is flagged).
 *
 * `confirm` = 1 is the reference design: the first suspicious window alerts.
 * The default, 2, waits one more second: a lone suspicious window between
 * permitted ones (a window being dragged, a terminal that briefly looks like a
 * chat) is the commonest false alarm, while a real visit to a prohibited app
 * fills at least three consecutive windows (its frame is in all three).
 */
export const DEFAULT_CONFIRM_WINDOWS = 2;
/** Beyond this an alert would come too late to be useful (the window is 3 s long). */
export const MAX_CONFIRM_WINDOWS = 5;

export interface RuleState {
  /** Consecutive suspicious windows up to the last one; 0 after a permitted one. */
  run: number;
}

export function newRuleState(): RuleState {
  return { run: 0 };
}

export function applyAlertRule(state: RuleState, score: number, threshold: number, confirm = 1): { suspicious: boolean; alert: boolean } {
  const suspicious = score >= threshold;
  state.run = suspicious ? state.run + 1 : 0;
  return { suspicious, alert: state.run === confirm };
}
