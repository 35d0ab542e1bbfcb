package io.scoregen.core.nn;

/**
 * A 2-D convolution and its gradients in plain Java doubles (direct loops, zero padding k/2), the independent reference
 * the engine's convolutions are checked against. Layouts are NCHW and [out, in, k, k], as in {@link Conv}.
 */
final class ConvReference {

    final int batch;
    final int in;
    final int out;
    final int size;
    final int kernel;
    final int stride;
    final int pad;
    final int outSize;

    ConvReference(int batch, int in, int out, int size, int kernel, int stride) {
        this.batch = batch;
        this.in = in;
        this.out = out;
        this.size = size;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = kernel / 2;
        this.outSize = (size + 2 * pad - kernel) / stride + 1;
    }

    double[] forward(float[] x, float[] w, float[] b) {
        double[] y = new double[batch * out * outSize * outSize];
        int plane = outSize * outSize;
        for (int k = 0; k < y.length; k++) {
            y[k] = b[(k / plane) % out];
        }
        forEachTap((n, o, i, j, c, ki, kj, r, s) ->
                y[yIndex(n, o, i, j)] += x[xIndex(n, c, r, s)] * (double) w[wIndex(o, c, ki, kj)]);
        return y;
    }

    /** dL/dx for an upstream gradient g = dL/dy. */
    double[] inputGradient(double[] g, float[] w) {
        double[] gx = new double[batch * in * size * size];
        forEachTap((n, o, i, j, c, ki, kj, r, s) ->
                gx[xIndex(n, c, r, s)] += g[yIndex(n, o, i, j)] * w[wIndex(o, c, ki, kj)]);
        return gx;
    }

    /** dL/dw for an upstream gradient g = dL/dy. */
    double[] weightGradient(double[] g, float[] x) {
        double[] gw = new double[out * in * kernel * kernel];
        forEachTap((n, o, i, j, c, ki, kj, r, s) ->
                gw[wIndex(o, c, ki, kj)] += g[yIndex(n, o, i, j)] * x[xIndex(n, c, r, s)]);
        return gw;
    }

    private interface Tap {
        void accept(int n, int o, int i, int j, int c, int ki, int kj, int r, int s);
    }

    private void forEachTap(Tap tap) {
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < outSize; i++) {
                    for (int j = 0; j < outSize; j++) {
                        for (int c = 0; c < in; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                int r = i * stride + ki - pad;
                                if (r < 0 || r >= size) {
                                    continue;
                                }
                                for (int kj = 0; kj < kernel; kj++) {
                                    int s = j * stride + kj - pad;
                                    if (s >= 0 && s < size) {
                                        tap.accept(n, o, i, j, c, ki, kj, r, s);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private int xIndex(int n, int c, int r, int s) {
        return ((n * in + c) * size + r) * size + s;
    }

    private int yIndex(int n, int o, int i, int j) {
        return ((n * out + o) * outSize + i) * outSize + j;
    }

    private int wIndex(int o, int c, int ki, int kj) {
        return ((o * in + c) * kernel + ki) * kernel + kj;
    }
}
