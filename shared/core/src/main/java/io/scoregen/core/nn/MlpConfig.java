package io.scoregen.core.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param numClasses classes of a class-conditional network, 0 for an unconditional one (and then absent from
 *     {@code config.json}, which stays as it was before classes existed)
 */
public record MlpConfig(
        int dims,
        int hidden,
        int layers,
        EmbeddingType embedding,
        int embeddingDim,
        double fourierScale,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int numClasses)
        implements NetworkConfig {

    public MlpConfig {
        if (dims < 1 || hidden < 1 || layers < 1 || embeddingDim < 4 || embeddingDim % 2 != 0 || numClasses < 0) {
            throw new IllegalArgumentException("invalid MLP config " + dims + "/" + hidden + "/" + layers + "/"
                    + embeddingDim + ", " + numClasses + " classes");
        }
    }

    /** An unconditional MLP. */
    public MlpConfig(int dims, int hidden, int layers, EmbeddingType embedding, int embeddingDim, double fourierScale) {
        this(dims, hidden, layers, embedding, embeddingDim, fourierScale, 0);
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
