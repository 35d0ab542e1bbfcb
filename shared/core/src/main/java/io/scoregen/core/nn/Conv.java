package io.scoregen.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A square 2-D convolution with bias (one fused engine call), channels fixed at construction so that parameter shapes
 * are known before any input is seen. Batch-size invariant on CPU: row i of the output is bit-identical whatever the
 * batch it is computed in (see {@link #apply}).
 *
 * <p><b>Channel padding on CPU.</b> libtorch 2.7.1's bundled oneDNN computes wrong convolutions on AVX-512 CPUs (seen
 * on AMD EPYC Zen 5) when a channel count is not a multiple of {@value #BLOCK}: the backward-data pass for such output
 * channel counts (NaN, or a different value each run), and for some input counts (24) even the forward pass.
 * {@code ConvGradientTest} shows it against a plain-Java reference. On CPU such a conv therefore runs with both channel
 * counts zero-padded to a multiple of {@value #BLOCK} (input and weight padded with zeros, the output sliced back): the
 * extra channels add exact zeros, the pad's and the slice's gradients are exact, and the parameters keep their shapes.
 * Chosen by measurement on that machine (compact U-Net, batch 64, 2 threads; train / sample ms per step): oneDNN as is
 * 917 / 419 (wrong); padding costs the U-Net's input and output convs only; {@code DNNL_MAX_CPU_ISA=SSE41} 2356 / 1079;
 * oneDNN switched off (the native im2col path) 5075 / 3131.
 */
public final class Conv extends UnaryBlock {

    private static final NDIndex FIRST = new NDIndex("0:1");
    /** oneDNN's channel block on AVX-512: 16 float32 lanes. */
    static final int BLOCK = 16;

    private final int out;
    private final NDIndex unpadded;
    private final Shape inputPad;
    private final Shape weightPad;
    private final Shape biasPad;
    private final int kernel;
    private final int stride;
    private final Shape strideShape;
    private final Shape padding;
    private final Shape dilation = new Shape(1, 1);
    private final Parameter weight;
    private final Parameter bias;

    public Conv(int in, int out, int kernel, int stride, double initScale) {
        this.out = out;
        int extraIn = roundUp(in) - in;
        int extraOut = roundUp(out) - out;
        boolean padded = extraIn > 0 || extraOut > 0;
        // Shapes for NDArray.pad, last dimension first: (before, after) per dimension.
        this.inputPad = padded ? new Shape(0, 0, 0, 0, 0, extraIn) : null;
        this.weightPad = padded ? new Shape(0, 0, 0, 0, 0, extraIn, 0, extraOut) : null;
        this.biasPad = padded ? new Shape(0, extraOut) : null;
        this.unpadded = new NDIndex(":, 0:" + out);
        this.kernel = kernel;
        this.stride = stride;
        this.strideShape = new Shape(stride, stride);
        this.padding = new Shape(kernel / 2, kernel / 2);
        this.weight = addParameter(Layers.parameter(
                "weight",
                Parameter.Type.WEIGHT,
                new Shape(out, in, kernel, kernel),
                new VarianceScaling(initScale),
                true));
        this.bias =
                addParameter(Layers.parameter("bias", Parameter.Type.BIAS, new Shape(out), VarianceScaling.ZERO, true));
    }

    /** 3×3, stride 1, "same" padding. */
    public static Conv same3x3(int in, int out, double initScale) {
        return new Conv(in, out, 3, 1, initScale);
    }

    /** 1×1 (network-in-network) projection. */
    public static Conv pointwise(int in, int out, double initScale) {
        return new Conv(in, out, 1, 1, initScale);
    }

    public NDArray apply(ParameterStore ps, NDArray x) {
        if (x.getShape().get(0) == 1) {
            // oneDNN picks another kernel for a batch of one, whose sums differ in the last bits from
            // the kernel every larger batch gets; computing a single example as a batch of two keeps
            // an example's result independent of its batch size.
            return convolve(ps, x.repeat(0, 2)).get(FIRST);
        }
        return convolve(ps, x);
    }

    private NDArray convolve(ParameterStore ps, NDArray x) {
        NDArray w = ps.getValue(weight, x.getDevice(), false);
        NDArray b = ps.getValue(bias, x.getDevice(), false);
        if (inputPad == null || !Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
            return x.getNDArrayInternal()
                    .convolution(x, w, b, strideShape, padding, dilation, 1)
                    .singletonOrThrow();
        }
        // The padded copies are intermediates: freed as soon as the sliced result exists.
        return Scoped.apply(
                () -> {
                    NDArray xp = x.pad(inputPad, 0);
                    NDArray wp = Layers.local(w.pad(weightPad, 0), x);
                    NDArray bp = Layers.local(b.pad(biasPad, 0), x);
                    return xp.getNDArrayInternal()
                            .convolution(xp, wp, bp, strideShape, padding, dilation, 1)
                            .singletonOrThrow()
                            .get(unpadded);
                },
                x);
    }

    private static int roundUp(int channels) {
        return (channels + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + 2L * (kernel / 2) - kernel) / stride + 1;
        long w = (s.get(3) + 2L * (kernel / 2) - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }
}
