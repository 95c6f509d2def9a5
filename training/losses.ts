import * as tf from '@tensorflow/tfjs';

/**
 * Training losses on predicted probabilities `p` (shape [n] or [n,1]) and 0/1
 * labels `y`. The F2 surrogate replaces counts by their soft versions
 * (TP = sum p*y, FP = sum p*(1-y), FN = sum (1-p)*y), so it is differentiable and
 * optimises the metric the instructor cares about (recall weighted 4x) directly.
 */
export type LossName = 'bce' | 'f2';
export const LOSS_NAMES: readonly LossName[] = ['bce', 'f2'];

const EPS = 1e-7;

/** Mean binary cross-entropy; positives weighted by `positiveWeight`. */
export function binaryCrossEntropy(p: tf.Tensor, y: tf.Tensor, positiveWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const pc = tf.clipByValue(p.reshape([-1]), EPS, 1 - EPS);
    const yf = y.reshape([-1]).toFloat();
    const pos = yf.mul(pc.log()).mul(positiveWeight);
    const neg = tf.scalar(1).sub(yf).mul(tf.scalar(1).sub(pc).log());
    const weights = yf.mul(positiveWeight).add(tf.scalar(1).sub(yf));
    return pos.add(neg).sum().neg().div(weights.sum()) as tf.Scalar;
  });
}

/** 1 - soft F-beta (beta=2 by default). `positiveWeight` scales the soft TP and FN. */
export function softFBetaLoss(p: tf.Tensor, y: tf.Tensor, beta = 2, positiveWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const pf = p.reshape([-1]);
    const yf = y.reshape([-1]).toFloat();
    const tp = pf.mul(yf).sum().mul(positiveWeight);
    const fp = pf.mul(tf.scalar(1).sub(yf)).sum();
    const fn = tf.scalar(1).sub(pf).mul(yf).sum().mul(positiveWeight);
    const b2 = beta * beta;
    const f = tp.mul(1 + b2).div(tp.mul(1 + b2).add(fn.mul(b2)).add(fp).add(EPS));
    return tf.scalar(1).sub(f) as tf.Scalar;
  });
}

export function lossFunction(name: LossName, positiveWeight: number): (p: tf.Tensor, y: tf.Tensor) => tf.Scalar {
  return name === 'f2' ? (p, y) => softFBetaLoss(p, y, 2, positiveWeight) : (p, y) => binaryCrossEntropy(p, y, positiveWeight);
}
