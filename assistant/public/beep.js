// Audible alert: a short 880 Hz beep through WebAudio. Browsers keep an
// AudioContext suspended until a user gesture, so the app calls unlock() from
// the sign-in click (and from the first click/key press after a reload).

const FREQUENCY_HZ = 880;
const DURATION_S = 0.18;
// A burst of alerts (e.g. the network of a whole room drops) should not turn into a drone.
const MIN_GAP_S = 0.35;

export function buildBeeper() {
  let ctx = null;
  let muted = false;
  let lastStart = -Infinity;
  const listeners = new Set();
  // Test and diagnostics hook: how many beeps actually started.
  window.__labwatchBeeps = 0;

  const notify = () => listeners.forEach((fn) => fn());

  const unlock = async () => {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return;
    if (!ctx) {
      ctx = new AC();
      ctx.onstatechange = notify;
    }
    if (ctx.state !== 'running') {
      try {
        await ctx.resume();
      } catch {
        // stays suspended until the next gesture; the sound button says so
      }
    }
    notify();
  };

  const beep = () => {
    if (muted || !ctx || ctx.state !== 'running') return false;
    const now = ctx.currentTime;
    if (now - lastStart < MIN_GAP_S) return true;
    lastStart = now;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = FREQUENCY_HZ;
    // short attack/release avoids audible clicks
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.3, now + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + DURATION_S);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now);
    osc.stop(now + DURATION_S + 0.02);
    window.__labwatchBeeps += 1;
    return true;
  };

  return {
    unlock,
    beep,
    /** 'on' | 'muted' | 'blocked' (waiting for a user gesture) */
    status: () => (muted ? 'muted' : ctx && ctx.state === 'running' ? 'on' : 'blocked'),
    setMuted(value) {
      muted = value;
      notify();
    },
    onChange(fn) {
      listeners.add(fn);
    },
  };
}
