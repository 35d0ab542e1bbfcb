package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma & Ba) on the model's trainable parameters, with linear learning-rate warm-up and global-norm gradient
 * clipping, its state kept in NDArrays of its own so that it can be saved and restored exactly (DJL's optimisers keep
 * theirs private). Update, as PyTorch's: {@code w −= lr_n/(1−β1ⁿ) · m / (√v/√(1−β2ⁿ) + ε)}.
 */
public final class Adam {

    /**
     * @param learningRate peak learning rate
     * @param warmup steps of linear warm-up ({@code lr·min(1, n/warmup)}; 0 = none)
     * @param gradClip global gradient norm bound (≤ 0 = no clipping)
     */
    public record Config(double learningRate, int warmup, double gradClip, double beta1, double beta2, double epsilon) {

        public static Config of(double learningRate, int warmup, double gradClip) {
            return new Config(learningRate, warmup, gradClip, 0.9, 0.999, 1e-8);
        }
    }

    private final Config config;
    private final List<Parameter> parameters;
    private final NDManager stateManager;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private long step;

    /** Zero state for {@code parameters}, held in {@code stateManager}. */
    public Adam(Config config, List<Parameter> parameters, NDManager stateManager) {
        this.config = config;
        this.parameters = List.copyOf(parameters);
        this.stateManager = stateManager;
        for (Parameter p : this.parameters) {
            firstMoments.add(stateManager.zeros(p.getShape()));
            secondMoments.add(stateManager.zeros(p.getShape()));
        }
    }

    /** Number of updates applied so far. */
    public long step() {
        return step;
    }

    /** The learning rate of update number {@code n} (1-based). */
    public double learningRate(long n) {
        return config.warmup() > 0
                ? config.learningRate() * Math.min(1, (double) n / config.warmup())
                : config.learningRate();
    }

    /**
     * Applies one update in place, {@code gradients} in the order of the parameters; temporaries belong to the
     * gradients' manager.
     *
     * @return the global gradient norm before clipping
     */
    public double update(List<NDArray> gradients) {
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException(
                    gradients.size() + " gradients for " + parameters.size() + " parameters");
        }
        step++;
        NDArray[] norms = new NDArray[gradients.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = gradients.get(i).norm().reshape(1);
        }
        double norm = NDArrays.concat(new NDList(norms)).norm().getFloat();
        double clip = config.gradClip() > 0 && norm > config.gradClip() ? config.gradClip() / (norm + 1e-6) : 1;
        // The engine's fused update is w −= a·m / (√v + e) on the clipped gradient; PyTorch's rule above
        // is the same with a = lr_n·√(1−β2ⁿ)/(1−β1ⁿ) and e = ε·√(1−β2ⁿ). One native call per parameter
        // instead of a dozen ops: the optimizer was most of the JNI crossings of a training step.
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(config.beta2(), step));
        float stepSize = (float) (learningRate(step) * sqrtCorrection2 / (1 - Math.pow(config.beta1(), step)));
        float epsilon = (float) (config.epsilon() * sqrtCorrection2);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            weight.getNDArrayInternal()
                    .adamUpdate(
                            new NDList(weight, gradients.get(i), firstMoments.get(i), secondMoments.get(i)),
                            new NDList(weight),
                            0f,
                            stepSize,
                            0f,
                            (float) clip,
                            -1f,
                            (float) config.beta1(),
                            (float) config.beta2(),
                            epsilon,
                            false,
                            false);
        }
        return norm;
    }

    /** The state as bytes: the step count is kept by the caller; here m then v per parameter. */
    public byte[] encodeState() {
        NDList state = new NDList();
        state.addAll(firstMoments);
        state.addAll(secondMoments);
        return state.encode();
    }

    /** Restores a state written by {@link #encodeState} after {@code steps} updates. */
    public void restoreState(byte[] encoded, long steps) {
        NDList state = NDList.decode(stateManager, encoded);
        int n = parameters.size();
        if (state.size() != 2 * n) {
            throw new IllegalArgumentException("optimizer state has " + state.size() + " arrays, expected " + 2 * n);
        }
        for (int i = 0; i < n; i++) {
            firstMoments.set(i, replace(firstMoments.get(i), state.get(i)));
            secondMoments.set(i, replace(secondMoments.get(i), state.get(n + i)));
        }
        this.step = steps;
    }

    private static NDArray replace(NDArray old, NDArray loaded) {
        if (!old.getShape().equals(loaded.getShape())) {
            throw new IllegalArgumentException("optimizer state shape " + loaded.getShape() + " != " + old.getShape());
        }
        old.close();
        return loaded;
    }
}
