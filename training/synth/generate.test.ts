import { describe, expect, it } from 'vitest';
import { planSynthDataset } from './generate.js';
import { isProhibitedWindow, monitorScene, sceneLabel } from './labels.js';

describe('synthetic dataset plan', () => {
  const plan = planSynthDataset({ out: '/tmp/unused', sequences: 400, seed: 'plan-test' });
  const labelOf = new Map(plan.batches.flat().map((job) => [job.file.replace('/tmp/unused/', ''), sceneLabel(job.scene)]));

  it('labels a sequence prohibited when any of its three frames is', () => {
    expect(plan.rows).toHaveLength(400);
    for (const row of plan.rows) {
      const frameLabels = row.frames.map((f) => labelOf.get(f));
      expect(frameLabels.every((l) => l === 0 || l === 1)).toBe(true);
      expect(row.label).toBe(frameLabels.includes(1) ? 1 : 0);
    }
  });

  it("records the largest prohibited window's screen share: 0 exactly for permitted sequences, within (0, 1] otherwise", () => {
    const shares = plan.rows.map((r) => Number(r.extra.prohibited_screen_share));
    plan.rows.forEach((row, i) => {
      if (row.label === 0) expect(shares[i]).toBe(0);
      else expect(shares[i]).toBeGreaterThan(0);
      expect(shares[i]).toBeLessThanOrEqual(1);
    });
    // both small side windows and maximised prohibited apps occur
    expect(shares.some((x) => x > 0 && x < 0.1)).toBe(true);
    expect(shares.some((x) => x > 0.5)).toBe(true);
  });

  it('draws sequences from many sessions, both classes, with transitions inside windows', () => {
    const sessions = new Set(plan.rows.map((r) => r.extra.session_id));
    expect(sessions.size).toBeGreaterThan(20);
    const positives = plan.rows.filter((r) => r.label === 1).length;
    expect(positives / plan.rows.length).toBeGreaterThan(0.25);
    expect(positives / plan.rows.length).toBeLessThan(0.75);
    const mixed = plan.rows.filter((r) => new Set(r.frames.map((f) => labelOf.get(f))).size === 2);
    expect(mixed.length).toBeGreaterThan(0);
  });

  it('renders each frame once even when windows overlap, and consecutive frames are one second apart', () => {
    const files = plan.batches.flat().map((j) => j.file);
    expect(new Set(files).size).toBe(files.length);
    for (const row of plan.rows) {
      const ts = row.frames.map((f) => Number(/(\d+)\.png$/.exec(f)![1]));
      expect([ts[1] - ts[0], ts[2] - ts[1]]).toEqual([1, 1]);
    }
  });

  it('takes at most --windows-per-session windows from a session, so fewer windows give more sessions', () => {
    const few = planSynthDataset({ out: '/tmp/unused', sequences: 400, seed: 'plan-test', windowsPerSession: 2 });
    const perSession = new Map<string, number>();
    for (const r of few.rows) perSession.set(String(r.extra.session_id), (perSession.get(String(r.extra.session_id)) ?? 0) + 1);
    expect(Math.max(...perSession.values())).toBeLessThanOrEqual(2);
    expect(perSession.size).toBeGreaterThan(2 * new Set(plan.rows.map((r) => r.extra.session_id)).size);
  });

  it('cuts a two-monitor desktop into one sequence per monitor with --per-monitor, labelled by that monitor', () => {
    const per = planSynthDataset({ out: '/tmp/unused', sequences: 400, seed: 'plan-test', perMonitor: true });
    expect(per.rows).toHaveLength(400);
    const jobs = new Map(per.batches.flat().map((job) => [job.file.replace('/tmp/unused/', ''), job]));
    const split = per.rows.filter((r) => /-m\d$/.test(r.sequenceId));
    expect(split.length).toBeGreaterThan(10);
    for (const row of split) {
      const m = Number(row.sequenceId.slice(-1));
      const frameLabels = row.frames.map((f) => {
        const job = jobs.get(f)!;
        // the whole desktop is rendered, then cropped to the monitor
        expect(job.crop).toEqual(job.scene.monitors[m]);
        return sceneLabel(monitorScene(job.scene, m));
      });
      expect(row.label).toBe(frameLabels.includes(1) ? 1 : 0);
    }
    // a desktop whose chat is on one monitor gives a prohibited and a permitted sequence
    const bySecond = new Map<string, number[]>();
    for (const r of split) bySecond.set(r.sequenceId.slice(0, -3), [...(bySecond.get(r.sequenceId.slice(0, -3)) ?? []), r.label]);
    expect([...bySecond.values()].some((labels) => labels.includes(0) && labels.includes(1))).toBe(true);
    // single-monitor sessions are as without the option
    const single = per.rows.filter((r) => !/-m\d$/.test(r.sequenceId)).slice(0, 50);
    const plain = new Map(plan.rows.map((r) => [r.sequenceId, r]));
    for (const r of single) if (plain.has(r.sequenceId)) expect(r).toEqual(plain.get(r.sequenceId));
  });

  it('gives every prohibited sequence a permitted twin with --counterfactual: the same frames, the prohibited windows closed or swapped', () => {
    for (const [mode, perMonitor] of [['close', false], ['close', true], ['swap', false], ['swap', true]] as const) {
      const cf = planSynthDataset({ out: '/tmp/unused', sequences: 600, seed: 'plan-test', counterfactual: mode, perMonitor });
      const suffix = mode === 'close' ? '-cf.png' : '-cfs.png';
      const jobs = new Map(cf.batches.flat().map((job) => [job.file.replace('/tmp/unused/', ''), job]));
      const byId = new Map(cf.rows.map((r) => [r.sequenceId, r]));
      const twins = cf.rows.filter((r) => r.sequenceId.endsWith('-cf'));
      const prohibited = cf.rows.filter((r) => r.label === 1);
      expect(twins.length).toBeGreaterThan(50);
      // the count may cut the last twin off
      expect(prohibited.length - twins.length).toBeLessThanOrEqual(1);
      for (const twin of twins) {
        const original = byId.get(twin.sequenceId.slice(0, -3))!;
        expect(original.label).toBe(1);
        expect(twin.label).toBe(0);
        // the same session, so a split by session keeps the pair together
        expect(twin.extra.session_id).toBe(original.extra.session_id);
        twin.frames.forEach((file, i) => {
          const job = jobs.get(file)!;
          const m = /-m(\d)(-cfs?)?\.png$/.exec(file);
          const own = m ? monitorScene(job.scene, Number(m[1])) : job.scene;
          expect(sceneLabel(own)).toBe(0);
          if (file === original.frames[i]) return; // a permitted frame of the original is shared
          expect(file).toBe(original.frames[i].replace(/\.png$/, suffix));
          const before = jobs.get(original.frames[i])!.scene;
          if (mode === 'close') {
            // what the twin shows is the original desktop without its prohibited windows, nothing else
            expect(job.scene.windows.map((w) => w.id)).toEqual(before.windows.filter((w) => !isProhibitedWindow(w)).map((w) => w.id));
          } else {
            // the same windows in the same places; only the prohibited ones show another (permitted) app
            expect(job.scene.windows.map((w) => [w.id, w.rect, w.focused, w.minimized])).toEqual(before.windows.map((w) => [w.id, w.rect, w.focused, w.minimized]));
            job.scene.windows.forEach((w, k) => {
              if (isProhibitedWindow(before.windows[k]!)) expect(isProhibitedWindow(w)).toBe(false);
              else expect(w).toEqual(before.windows[k]);
            });
          }
          expect(job.scene.desktop).toEqual(before.desktop);
          expect(job.crop).toEqual(jobs.get(original.frames[i])!.crop);
        });
      }
    }
    // without the option nothing changes
    const plain = planSynthDataset({ out: '/tmp/unused', sequences: 400, seed: 'plan-test' });
    expect(plain.rows).toEqual(plan.rows);
  });
});
