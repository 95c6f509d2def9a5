import { describe, expect, it } from 'vitest';
import { calibrateAlertThreshold, replayAlerts, windowChains } from './alert-replay.js';

describe('windowChains', () => {
  it('links windows that overlap by two frames, whatever the manifest order', () => {
    // session A: frames 0..4 -> windows [0,1,2] [1,2,3] [2,3,4]; session B: frames 10..12
    const windows = [
      [2, 3, 4],
      [10, 11, 12],
      [0, 1, 2],
      [1, 2, 3],
    ];
    const seqFrames = Int32Array.from(windows.flat());
    const chains = windowChains(seqFrames, [0, 1, 2, 3]);
    expect(chains.map((c) => c.map((k) => windows[k][0]))).toEqual([[10], [0, 1, 2]]);
  });

  it('keeps a gap in a session as two chains', () => {
    const seqFrames = Int32Array.from([0, 1, 2, 1, 2, 3, 5, 6, 7]);
    expect(windowChains(seqFrames, [0, 1, 2])).toEqual([[0, 1], [2]]);
  });
});

describe('replayAlerts', () => {
  const chain = (scores: number[], labels: number[]) => ({ scores, labels });

  it('counts one alert per suspicious run, and a blip of two windows in permitted work as a false alert', () => {
    const permitted = chain([0.1, 0.9, 0.9, 0.1, 0.9, 0.1, 0.1], [0, 0, 0, 0, 0, 0, 0]);
    const r = replayAlerts([permitted], 0.5, 2);
    expect(r.falseAlerts).toBe(1); // the lone window at index 4 does not confirm
    expect(r.permittedWindows).toBe(7);
    expect(r.falseAlertsPerHour).toBeCloseTo(3600 / 7);
    expect(r.chainsWithFalseAlerts).toBe(1);
    expect(replayAlerts([permitted], 0.5, 1).falseAlerts).toBe(2);
  });

  it('counts an episode as alerted only when an alert is raised inside it', () => {
    const caught = chain([0.1, 0.2, 0.8, 0.9, 0.9, 0.2], [0, 0, 1, 1, 1, 0]);
    const tooShort = chain([0.1, 0.8, 0.2, 0.1], [0, 1, 1, 0]);
    const lone = chain([0.9], [1]);
    // already suspicious before the episode: no new alert, so the demo counts it missed
    const alreadyOpen = chain([0.9, 0.9, 0.9, 0.9], [0, 0, 1, 1]);
    const r = replayAlerts([caught, tooShort, alreadyOpen, lone], 0.5, 2);
    expect(r.chains).toBe(3);
    expect(r.shortChains).toBe(1);
    expect(r.episodes).toBe(3);
    expect(r.episodesAlerted).toBe(1);
    expect(r.falseAlerts).toBe(1);
    expect(r.alerts).toBe(2);
  });

  it('calibrates the threshold for the best alert-level F2: a blip costs precision, a missed visit recall', () => {
    const permitted = chain([0.3, 0.6, 0.6, 0.3, 0.3, 0.3], [0, 0, 0, 0, 0, 0]);
    const episode = chain([0.1, 0.7, 0.7, 0.7], [0, 1, 1, 1]);
    const { pick, sweep } = calibrateAlertThreshold([permitted, episode], 2, [0.2, 0.5, 0.65, 0.8]);
    // 0.2 and 0.5: one false alert beside the caught visit (F2 0.833); 0.65: only the visit (F2 1); 0.8: nothing caught
    expect(sweep.map((r) => r.alertF2)).toEqual([5 / 6, 5 / 6, 1, 0]);
    expect(pick).toMatchObject({ threshold: 0.65, episodesAlerted: 1, falseAlerts: 0 });
  });

  it('takes the highest threshold whose alert-level F2 ties with the best (within the tolerance): fewer false alerts', () => {
    // 20 visits, each caught from 0.3 to 0.8 except one that scores only 0.5;
    // a permitted run with blips at 0.55, 0.6 and 0.7 (one false alert per blip over the threshold)
    const visits = Array.from({ length: 20 }, (_, i) => chain([0.1, i === 0 ? 0.5 : 0.8, i === 0 ? 0.5 : 0.8, 0.1], [0, 1, 1, 0]));
    const permitted = chain([0.1, 0.55, 0.55, 0.1, 0.6, 0.6, 0.1, 0.7, 0.7, 0.1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const thresholds = [0.3, 0.5, 0.58, 0.65, 0.75, 0.85];
    const { pick, best, sweep } = calibrateAlertThreshold([...visits, permitted], 2, thresholds, 0.02);
    expect(sweep.map((r) => r.falseAlerts)).toEqual([3, 3, 2, 1, 0, 0]);
    expect(sweep.map((r) => r.episodesAlerted)).toEqual([20, 20, 19, 19, 19, 0]);
    // strict best: 20 of 20 visits with 3 false alerts (F2 0.971) beats 19 with none (0.959) ...
    expect(best.threshold).toBe(0.5);
    // ... by less than the tolerance: the highest threshold in the tie wins, 3 false alerts fewer for one visit
    expect(pick).toMatchObject({ threshold: 0.75, episodesAlerted: 19, falseAlerts: 0 });
    // with no tolerance the best F2 is chosen, as before
    expect(calibrateAlertThreshold([...visits, permitted], 2, thresholds, 0).pick.threshold).toBe(0.5);
  });
});
