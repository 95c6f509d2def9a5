import { buildRng, type Rng } from '../../training/synth/prng.js';

/**
 * One simulated student's exam as a sequence of capture slots: permitted work
 * with, for the students who cheat, prohibited episodes of 3-20 s at random
 * moments. This is the demo's ground truth; the model never sees it.
 */
export interface Episode {
  /** First and last capture slot (inclusive) of the prohibited run. */
  first: number;
  last: number;
  /** Which prohibited clip of the pool the episode shows. */
  clip: number;
}

export interface TimelineOptions {
  seed: string | number;
  student: number;
  /** Capture slots available; episodes always end at least 2 slots before it. Infinity = open-ended. */
  slots: number;
  /** Share of students who ever cheat (default 0.5). */
  cheaterShare?: number;
  prohibitedClips: number;
  minEpisode?: number;
  maxEpisode?: number;
}

export interface Timeline {
  readonly cheater: boolean;
  /** The episode covering slot k, if any. */
  episodeAt(k: number): Episode | undefined;
  /** Every episode that starts before slot `upTo` (extends the timeline lazily). */
  episodesBefore(upTo: number): Episode[];
}

export function buildTimeline(o: TimelineOptions): Timeline {
  const rng: Rng = buildRng(`demo-timeline:${o.seed}:${o.student}`);
  const cheater = o.prohibitedClips > 0 && rng.chance(o.cheaterShare ?? 0.5);
  const minLen = o.minEpisode ?? 3;
  const maxLen = o.maxEpisode ?? 20;
  const episodes: Episode[] = [];
  // the first episode may come early, so even a one-minute demo shows some
  let nextStart = rng.int(4, 25);
  let exhausted = !cheater;

  const extend = (upTo: number) => {
    while (!exhausted && nextStart < upTo) {
      const len = rng.int(minLen, maxLen);
      const last = Math.min(nextStart + len - 1, o.slots - 3);
      if (last - nextStart + 1 < minLen) {
        exhausted = true;
        break;
      }
      episodes.push({ first: nextStart, last, clip: rng.int(0, o.prohibitedClips - 1) });
      nextStart = last + 1 + rng.int(15, 60);
    }
  };

  return {
    cheater,
    episodeAt(k) {
      extend(k + 1);
      for (let i = episodes.length - 1; i >= 0; i--) {
        const e = episodes[i];
        if (e.first <= k) return k <= e.last ? e : undefined;
      }
      return undefined;
    },
    episodesBefore(upTo) {
      extend(upTo);
      return episodes.filter((e) => e.first < upTo);
    },
  };
}
