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
  const ds = dy.dataSync() as Float32Array;
  // Position-major loops: each step reads one pixel of every image (n cache
  // lines that the next position reuses) and writes runs contiguous in b.
  const plane = hp * wp * n;
  const xt = new Float32Array(c * plane); // [c, hp, wp, n], zero padded
  for (let iy = 0; iy < h && iy + top < hp; iy++) {
    for (let ix = 0; ix < w && ix + left < wp; ix++) {
      const dst = ((iy + top) * wp + ix + left) * n;
      for (let b = 0; b < n; b++) {
        const src = ((b * h + iy) * w + ix) * c;
        for (let ci = 0; ci < c; ci++) xt[ci * plane + dst + b] = xs[src + ci];
      }
    }
  }
  const positions = oh * ow;
  const dt = new Float32Array(positions * n * f); // [oh, ow, n, f]
  for (let p = 0, o = 0; p < positions; p++) {
    for (let b = 0; b < n; b++) {
      const src = (b * positions + p) * f;
      for (let fi = 0; fi < f; fi++) dt[o++] = ds[src + fi];
    }
  }
  return tf.tidy(() => {
    const out = tf.conv2d(tf.tensor4d(xt, [c, hp, wp, n]), tf.tensor4d(dt, [oh, ow, n, f]), 1, 'valid', 'NHWC', stride);
    return tf.transpose(out, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * 'valid' max pooling whose gradient is a JS pass (the wasm backend's
 * MaxPoolGrad was the largest kernel of a training step). The gradient goes to
 * the first maximum of each window in row-major order, as TensorFlow's does.
 */
export function maxPoolValid(x: tf.Tensor4D, size: [number, number], strides: [number, number]): tf.Tensor4D {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, save] = inputs as [tf.Tensor4D, tf.GradSaveFunc];
    save([x4]);
    return {
      value: tf.maxPool(x4, size, strides, 'valid'),
      gradFunc: (g: tf.Tensor4D, saved: tf.Tensor[]) => [maxPoolGrad(saved[0] as tf.Tensor4D, g, size, strides)],
    };
  });
  return op(x) as tf.Tensor4D;
}

export function maxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, [ph, pw]: [number, number], [sh, sw]: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [, oh, ow] = dy.shape;
  const xs = x.dataSync() as Float32Array;
  const ds = dy.dataSync() as Float32Array;
  const dx = new Float32Array(xs.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const out = ((b * oh + oy) * ow + ox) * c;
        const corner = ((b * h + oy * sh) * w + ox * sw) * c;
        for (let ch = 0; ch < c; ch++) {
          let at = corner + ch;
          let best = xs[at];
          for (let ky = 0; ky < ph; ky++) {
            for (let kx = 0; kx < pw; kx++) {
              const i = corner + (ky * w + kx) * c + ch;
              if (xs[i] > best) {
                best = xs[i];
                at = i;
              }
            }
          }
          dx[at] += ds[out + ch];
        }
      }
    }
  }
  return tf.tensor4d(dx, [n, h, w, c]);
}
