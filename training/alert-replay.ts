import { applyAlertRule, newRuleState } from '../assistant/alert-rule.js';
import { fBeta } from './metrics.js';

/**
 * Replays the assistant's alert rule over recorded sessions, offline.
 *
 * Per-window precision and recall do not say how often an instructor is
 * interrupted: the assistant alerts once per suspicious run, so what counts is
 * how often a student's score crosses the alert threshold during permitted work
 * (a blip of two windows is one false alert) and whether every prohibited visit
 * crosses it at all. A dataset whose sessions hold runs of consecutive windows
 * (`dataset synth` with its default `--windows-per-session`, or a recording)
 * answers both, on far more desktops than a demo pool.
 */

/** One chain of consecutive windows (each starts one frame after the previous). */
export interface WindowChain {
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/**
 * Chains shorter than this are left out: a window with no neighbour (a
 * session sampled with stride 2) cannot show a run, and counting it as a
 * visit of one window would charge the rule for a visit it never saw whole.
 */
export const MIN_CHAIN_WINDOWS = 3;

export interface AlertReplay {
  threshold: number;
  confirm: number;
  /** Chains replayed (MIN_CHAIN_WINDOWS windows or more). */
  chains: number;
  /** Shorter chains left out. */
  shortChains: number;
  /** Windows labelled permitted, i.e. seconds of permitted work watched. */
  permittedWindows: number;
  alerts: number;
  /** Alerts raised on a permitted window. */
  falseAlerts: number;
  falseAlertsPerHour: number;
  /** Maximal runs of prohibited windows (a visit to a prohibited app). */
  episodes: number;
  /** Runs during which an alert was raised. */
  episodesAlerted: number;
  /** Chains with at least one false alert: how many students an instructor would be interrupted for. */
  chainsWithFalseAlerts: number;
  /** Alert-level F2: recall = visits alerted / visits, precision = alerts in visits / alerts. */
  alertF2: number;
}

/** Chains of consecutive windows: window b follows a when b's first two frames are a's last two. */
export function windowChains(seqFrames: Int32Array, index: ArrayLike<number>): number[][] {
  const key = (a: number, b: number) => `${a}:${b}`;
  const byHead = new Map<string, number>();
  for (let k = 0; k < index.length; k++) {
    const s = index[k];
    byHead.set(key(seqFrames[3 * s], seqFrames[3 * s + 1]), k);
  }
  const hasPredecessor = new Uint8Array(index.length);
  const next = new Int32Array(index.length).fill(-1);
  for (let k = 0; k < index.length; k++) {
    const s = index[k];
    const n = byHead.get(key(seqFrames[3 * s + 1], seqFrames[3 * s + 2]));
    if (n !== undefined && n !== k) {
      next[k] = n;
      hasPredecessor[n] = 1;
    }
  }
  const chains: number[][] = [];
  for (let k = 0; k < index.length; k++) {
    if (hasPredecessor[k]) continue;
    const chain: number[] = [];
    for (let c = k; c !== -1 && chain.length <= index.length; c = next[c]) chain.push(c);
    chains.push(chain);
  }
  return chains;
}

/** The chains of `index` with their scores and labels (both given per position in `index`). */
export function scoredChains(seqFrames: Int32Array, index: ArrayLike<number>, scores: ArrayLike<number>, labels: ArrayLike<number>): WindowChain[] {
  return windowChains(seqFrames, index).map((c) => ({ scores: c.map((k) => scores[k]), labels: c.map((k) => labels[k]) }));
}

/** The assistant's rule (assistant/alert-rule.ts) over every chain, at one threshold. */
export function replayAlerts(chains: readonly WindowChain[], threshold: number, confirm: number): AlertReplay {
  let permittedWindows = 0;
  let alerts = 0;
  let falseAlerts = 0;
  let episodes = 0;
  let episodesAlerted = 0;
  let chainsWithFalseAlerts = 0;
  let replayed = 0;
  for (const c of chains) {
    if (c.scores.length < MIN_CHAIN_WINDOWS) continue;
    replayed += 1;
    const state = newRuleState();
    let inEpisode = false;
    let episodeAlerted = false;
    let chainFalse = 0;
    for (let i = 0; i < c.scores.length; i++) {
      const prohibited = c.labels[i] === 1;
      const { alert } = applyAlertRule(state, c.scores[i], threshold, confirm);
      if (prohibited && !inEpisode) {
        episodes += 1;
        inEpisode = true;
        // as in the demo's count: a suspicious run already open when the episode starts raises no new alert, so it is a miss
        episodeAlerted = false;
      }
      if (!prohibited && inEpisode) {
        inEpisode = false;
        if (episodeAlerted) episodesAlerted += 1;
      }
      if (!prohibited) permittedWindows += 1;
      if (alert) {
        alerts += 1;
        if (prohibited) episodeAlerted = true;
        else chainFalse += 1;
      }
    }
    if (inEpisode && episodeAlerted) episodesAlerted += 1;
    falseAlerts += chainFalse;
    if (chainFalse > 0) chainsWithFalseAlerts += 1;
  }
  const hours = permittedWindows / 3600;
  const recall = episodes > 0 ? episodesAlerted / episodes : 0;
  const precision = alerts > 0 ? (alerts - falseAlerts) / alerts : 0;
  const alertF2 = fBeta(precision, recall, 2);
  return {
    threshold,
    confirm,
    chains: replayed,
    shortChains: chains.length - replayed,
    permittedWindows,
    alerts,
    falseAlerts,
    falseAlertsPerHour: hours > 0 ? falseAlerts / hours : 0,
    episodes,
    episodesAlerted,
    chainsWithFalseAlerts,
    alertF2,
  };
}

/** The replay at each of `thresholds`, to see what a lower or higher alert threshold would cost. */
export function alertSweep(chains: readonly WindowChain[], thresholds: readonly number[], confirm: number): AlertReplay[] {
  return thresholds.map((t) => replayAlerts(chains, t, confirm));
}

/** Thresholds `calibrateAlertThreshold` tries: 0.30 to 0.99 by 0.01. */
export const CALIBRATION_THRESHOLDS = Array.from({ length: 70 }, (_, i) => Number((0.3 + i / 100).toFixed(2)));

/** Largest `tolerance` calibrateAlertThreshold accepts: beyond it "a tie" would hide real differences. */
export const MAX_F2_TOLERANCE = 0.05;

/**
 * The alert threshold with the best alert-level F2 over the chains: the
 * product's headline metric (recall weighted four times) applied to what the
 * instructor sees, alerts and visits, instead of to single windows. Ties go to
 * the higher threshold (fewer alerts for the same figure). With `tolerance`
 * (`model calibrate-alerts --f2-tolerance`), every threshold within it of the
 * best counts as a tie: alert-level F2 is flat over a wide range while false
 * alerts keep falling as the threshold rises, and one visit more or less moves
 * it by ~0.004 on a set of ~270 visits.
 */
export function calibrateAlertThreshold(
  chains: readonly WindowChain[],
  confirm: number,
  thresholds: readonly number[] = CALIBRATION_THRESHOLDS,
  tolerance = 0,
): { pick: AlertReplay; best: AlertReplay; sweep: AlertReplay[] } {
  const sweep = alertSweep(chains, [...thresholds].sort((a, b) => a - b), confirm);
  let best = sweep[0];
  for (const r of sweep) if (r.alertF2 >= best.alertF2) best = r;
  let pick = best;
  for (const r of sweep) if (r.alertF2 >= best.alertF2 - tolerance) pick = r;
  return { pick, best, sweep };
}
