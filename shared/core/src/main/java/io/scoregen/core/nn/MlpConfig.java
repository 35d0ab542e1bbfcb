package io.scoregen.core.nn;

import io.scoregen.job.ModelOptions;

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
public record MlpConfig(
        int dims, int hidden, int layers, EmbeddingType embedding, int embeddingDim, double fourierScale)
        implements NetworkConfig {

    public MlpConfig {
        if (dims < 1 || hidden < 1 || layers < 1 || embeddingDim < 4 || embeddingDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "invalid MLP config " + dims + "/" + hidden + "/" + layers + "/" + embeddingDim);
        }
    }

    /** The job vocabulary's default MLP ({@link ModelOptions}) with a time embedding of the given type. */
    public static MlpConfig small(int dims, EmbeddingType embedding) {
        return new MlpConfig(
                dims,
                ModelOptions.MLP_HIDDEN_DIM,
                ModelOptions.MLP_HIDDEN_LAYERS,
                embedding,
                ModelOptions.MLP_EMBEDDING_DIM,
                ModelOptions.FOURIER_SCALE);
    }

    @Override
    public ScoreMlp build() {
        return new ScoreMlp(this);
    }
}
