package io.scoregen.core.nn;

/**
 * {@link ScoreMlp} for low-dimensional data.
 *
 * @param dims data dimensionality D (examples are flattened)
 * @param hidden width of the hidden layers
 * @param layers number of hidden layers (≥ 1)
 * @param embedding noise-conditioning embedding
 * @param embeddingDim width of that embedding (even)
 * @param fourierScale std of the Fourier frequencies (ignored for positional)
 */
public record MlpConfig(int dims, int hidden, int layers, EmbeddingType embedding, int embeddingDim,
        double fourierScale) implements NetworkConfig {

    public MlpConfig {
        if (dims < 1 || hidden < 1 || layers < 1 || embeddingDim < 4 || embeddingDim % 2 != 0) {
            throw new IllegalArgumentException("invalid MLP config " + dims + "/" + hidden + "/" + layers + "/" + embeddingDim);
        }
    }

    /** Three hidden layers of 128, a 32-wide positional embedding. */
    public static MlpConfig small(int dims) {
        return new MlpConfig(dims, 128, 3, EmbeddingType.POSITIONAL, 32, 16);
    }

    @Override
    public ScoreMlp build() {
        return new ScoreMlp(this);
    }
}
