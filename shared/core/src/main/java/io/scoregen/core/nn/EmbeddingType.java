package io.scoregen.core.nn;

/** How a network embeds its scalar noise conditioning. */
public enum EmbeddingType {
    /** NCSN++: fixed random Fourier features, meant for {@code log σ}. */
    FOURIER,
    /** DDPM: transformer sinusoids, meant for a time index such as {@code 999·t}. */
    POSITIONAL
}
