/**
 * One alert per suspicious run: a window raises an alert when it is suspicious and
 * the student's previous window was permitted. A student's first window counts as
 * following a permitted one, so a student who starts in a browser is flagged.
 */
export interface RuleState {
  /** Verdict of the student's previous window; false before the first one. */
  lastSuspicious: boolean;
}

export function applyAlertRule(state: RuleState, score: number, threshold: number): { suspicious: boolean; alert: boolean } {
  const suspicious = score >= threshold;
  const alert = suspicious && !state.lastSuspicious;
  state.lastSuspicious = suspicious;
  return { suspicious, alert };
}
