/**
 * Undersampling of the majority class, redrawn every epoch so that over many
 * epochs the model still sees most majority examples.
 */
export function undersample(index: Int32Array, labels: Uint8Array, rng: () => number): Int32Array {
  const pos: number[] = [];
  const neg: number[] = [];
  for (const i of index) (labels[i] === 1 ? pos : neg).push(i);
  const [minority, majority] = pos.length <= neg.length ? [pos, neg] : [neg, pos];
  shuffle(majority, rng);
  const out = Int32Array.from([...minority, ...majority.slice(0, minority.length)]);
  shuffle(out, rng);
  return out;
}

/** Fisher-Yates in place. */
export function shuffle<A extends number[] | Int32Array>(a: A, rng: () => number): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
