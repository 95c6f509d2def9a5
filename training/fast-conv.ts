import * as tf from '@tensorflow/tfjs';

/**
 * A 'same'-padded Conv2D whose gradients use only what the wasm backend has and
 * runs fast. The wasm backend lacks Conv2DBackpropFilter, and its Conv3D (what
 * the model's training form uses instead) is 15-45x slower than its XNNPACK
 * Conv2D; this lets training fold time into the batch and use Conv2D.
 * `inputGrad: false` skips the input gradient (the first layer's input is data).
 */
export function conv2dSame(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, inputGrad = true): tf.Tensor4D {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, 'same'),
      gradFunc: (g: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = inputGrad ? inputGrad2d(g, ws, xs.shape, stride) : tf.zerosLike(xs);
        return [dx, filterGrad(xs, g, ws.shape, stride)];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/**
 * dL/dx of a 'same' convolution. At stride 1 it is a plain convolution of dy
 * with the kernel flipped and its channel axes swapped (padded the other way
 * round, which only matters for even kernels): 3-12x faster on wasm than
 * Conv2DBackpropInput, which stays for strided layers.
 */
export function inputGrad2d(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: [number, number, number, number], stride: number): tf.Tensor4D {
  if (stride !== 1) return tf.conv2dTranspose(dy, w, xShape, stride, 'same');
  return tf.tidy(() => {
    const [kh, kw] = w.shape;
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const top = Math.floor((kh - 1) / 2);
    const left = Math.floor((kw - 1) / 2);
    if (kh % 2 === 1 && kw % 2 === 1) return tf.conv2d(dy, flipped, 1, 'same');
    const padded = tf.pad(dy, [[0, 0], [kh - 1 - top, top], [kw - 1 - left, left], [0, 0]]);
    return tf.conv2d(padded, flipped, 1, 'valid');
  });
}

/**
 * dL/dW of a 'same' convolution (TensorFlow's padding: the odd pixel goes
 * after), computed as a convolution in the backend: with the batch as the
 * channel axis, the input (channels as the batch) convolved with dy (as a
 * filter dilated by the stride) gives [c, kh, kw, f]. The two layout changes
 * are plain JS copies, because wasm's Transpose is ~10x slower than a loop;
 * a scalar JS loop over the multiply-adds was 75% of a training step.
 */
export function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, wShape: [number, number, number, number], stride: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [kh, kw, , f] = wShape;
  const [, oh, ow] = dy.shape;
  const top = Math.floor(Math.max((oh - 1) * stride + kh - h, 0) / 2);
  const left = Math.floor(Math.max((ow - 1) * stride + kw - w, 0) / 2);
  // only the padded rows and columns some tap reaches: a 'valid' conv then gives exactly kh x kw
  const hp = (oh - 1) * stride + kh;
  const wp = (ow - 1) * stride + kw;
  const xs = x.dataSync() as Float32Array;
  const xt = new Float32Array(c * hp * wp * n); // [c, hp, wp, n], zero padded
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      const py = iy + top;
      if (py >= hp) break;
      for (let ix = 0; ix < w; ix++) {
        const px = ix + left;
        if (px >= wp) break;
        const src = ((b * h + iy) * w + ix) * c;
        const dst = (py * wp + px) * n + b;
        for (let ci = 0; ci < c; ci++) xt[ci * hp * wp * n + dst] = xs[src + ci];
      }
    }
  }
  const ds = dy.dataSync() as Float32Array;
  const dt = new Float32Array(oh * ow * n * f); // [oh, ow, n, f]
  const plane = oh * ow * f;
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < oh * ow; p++) dt.set(ds.subarray(b * plane + p * f, b * plane + (p + 1) * f), (p * n + b) * f);
  }
  return tf.tidy(() => {
    const out = tf.conv2d(tf.tensor4d(xt, [c, hp, wp, n]), tf.tensor4d(dt, [oh, ow, n, f]), 1, 'valid', 'NHWC', stride);
    return tf.transpose(out, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
