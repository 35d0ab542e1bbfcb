package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Exponential moving average of the trainable weights, with the usual warm-up of the decay: update n (0-based) uses
 * {@code min(decay, (1+n)/(10+n))}, so early averages are not dominated by the random initialisation.
 */
public final class Ema {

    private final double decay;
    private final List<Parameter> parameters;
    private final List<NDArray> shadows = new ArrayList<>();
    private final NDManager stateManager;
    private long updates;

    /** Starts the average at the parameters' current values. */
    public Ema(double decay, List<Parameter> parameters, NDManager stateManager) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.parameters = List.copyOf(parameters);
        this.stateManager = stateManager;
        for (Parameter p : this.parameters) {
            NDArray copy = p.getArray().duplicate();
            copy.attach(stateManager);
            shadows.add(copy);
        }
    }

    /** The decay used by update number {@code n} (0-based). */
    public double decayAt(long n) {
        return Math.min(decay, (1.0 + n) / (10.0 + n));
    }

    /** {@code shadow ← shadow − (1 − d)(shadow − w)}; temporaries go to {@code scratch}. */
    public void update(NDManager scratch) {
        double rate = 1 - decayAt(updates);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray shadow = shadows.get(i);
            NDArray difference = shadow.sub(parameters.get(i).getArray());
            difference.attach(scratch);
            shadow.subi(difference.muli(rate));
        }
        updates++;
    }

    /** The averaged weights, in the order of the parameters given at construction. */
    public List<NDArray> shadows() {
        return List.copyOf(shadows);
    }

    public byte[] encodeState() {
        return new NDList(shadows).encode();
    }

    /** Restores averages written by {@link #encodeState} after {@code count} updates. */
    public void restoreState(byte[] encoded, long count) {
        NDList state = NDList.decode(stateManager, encoded);
        if (state.size() != shadows.size()) {
            throw new IllegalArgumentException("EMA state has " + state.size() + " arrays, expected " + shadows.size());
        }
        for (int i = 0; i < shadows.size(); i++) {
            shadows.get(i).close();
            shadows.set(i, state.get(i));
        }
        this.updates = count;
    }
}
