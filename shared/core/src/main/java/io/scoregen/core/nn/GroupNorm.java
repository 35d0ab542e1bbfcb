package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.scoregen.job.ModelOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group normalisation of {@code [N, C, H, W]}: the engine has none, so the input is viewed as {@code [N, G, C/G·H·W]},
 * normalised with the fused layer norm (unit affine) and then scaled and shifted per channel. γ and β are stored as
 * {@code [C, 1, 1]} so they broadcast without a reshape.
 */
public final class GroupNorm extends UnaryBlock {

    private static final float EPS = 1e-6f;

    private final int channels;
    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;
    /** Unit affine (ones, zeros) of the layer norm per normalised length, made once per resolution. */
    private final Map<Long, NDArray[]> unitAffine = new ConcurrentHashMap<>();

    public GroupNorm(int channels, int groups) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.channels = channels;
        this.groups = groups;
        Shape affine = new Shape(channels, 1, 1);
        this.gamma = addParameter(Layers.parameter("gamma", Parameter.Type.GAMMA, affine, Initializer.ONES, true));
        this.beta = addParameter(Layers.parameter("beta", Parameter.Type.BETA, affine, Initializer.ZEROS, true));
    }

    /** The NCSN++ / DDPM++ choice: {@code min(C/4, 32)} groups. */
    public static GroupNorm forChannels(int channels) {
        return new GroupNorm(channels, ModelOptions.groupNormGroups(channels));
    }

    public NDArray apply(ParameterStore ps, NDArray x) {
        Shape s = x.getShape();
        long length = s.size() / (s.get(0) * groups);
        NDArray g = ps.getValue(gamma, x.getDevice(), false);
        NDArray b = ps.getValue(beta, x.getDevice(), false);
        NDArray[] unit = unitAffine.computeIfAbsent(length, n -> {
            NDManager owner = gamma.getArray().getManager();
            return new NDArray[] {owner.ones(new Shape(n)), owner.zeros(new Shape(n))};
        });
        NDArray grouped = x.reshape(s.get(0), groups, length);
        NDArray normed = grouped.getNDArrayInternal()
                .layerNorm(grouped, new Shape(length), unit[0], unit[1], EPS)
                .singletonOrThrow();
        // mul's output is not needed by any backward: the bias goes in place.
        return normed.reshape(s).mul(g).addi(b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    public int channels() {
        return channels;
    }
}
