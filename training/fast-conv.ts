import * as tf from '@tensorflow/tfjs';

/**
 * A 'same'-padded Conv2D whose gradients use only what the wasm backend has and
 * runs fast: the input gradient through Conv2DBackpropInput, the filter gradient
 * in plain JS (a few tens of millions of multiply-adds per batch). The wasm
 * backend lacks Conv2DBackpropFilter, and its Conv3D (what the model's training
 * form uses instead) is 15-45x slower than its XNNPACK Conv2D; this lets training
 * fold time into the batch and use Conv2D. `inputGrad: false` skips the input
 * gradient (the first layer's input is data).
 */
export function conv2dSame(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, inputGrad = true): tf.Tensor4D {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, 'same'),
      gradFunc: (g: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = inputGrad ? tf.conv2dTranspose(g, ws, xs.shape, stride, 'same') : tf.zerosLike(xs);
        return [dx, filterGrad(xs, g, ws.shape, stride)];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** dL/dW of a 'same' convolution (TensorFlow's padding: the odd pixel goes after). */
export function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, wShape: [number, number, number, number], stride: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [kh, kw, , f] = wShape;
  const [, oh, ow] = dy.shape;
  const top = Math.floor(Math.max((oh - 1) * stride + kh - h, 0) / 2);
  const left = Math.floor(Math.max((ow - 1) * stride + kw - w, 0) / 2);
  const xs = x.dataSync() as Float32Array;
  const ds = dy.dataSync() as Float32Array;
  const dw = new Float32Array(kh * kw * c * f);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const dOff = ((b * oh + oy) * ow + ox) * f;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * stride + ky - top;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * stride + kx - left;
            if (ix < 0 || ix >= w) continue;
            const xOff = ((b * h + iy) * w + ix) * c;
            const wOff = (ky * kw + kx) * c * f;
            for (let ci = 0; ci < c; ci++) {
              const xv = xs[xOff + ci];
              if (xv === 0) continue; // after ReLU most inputs are 0
              const o = wOff + ci * f;
              for (let fi = 0; fi < f; fi++) dw[o + fi] += xv * ds[dOff + fi];
            }
          }
        }
      }
    }
  }
  return tf.tensor4d(dw, [kh, kw, c, f]);
}
