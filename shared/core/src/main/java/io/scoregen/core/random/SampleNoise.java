package io.scoregen.core.random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Noise drawn from one independent stream per sample, keyed by (seed, global sample index).
 *
 * <p>libtorch has one global generator, so noise drawn for a batch depends on the batch's size and order. Drawing each
 * sample's noise from its own stream makes sample i of seed s the same whichever batch, shard or worker produces it: a
 * retried shard rewrites identical bytes.
 */
public final class SampleNoise {

    private final SplittableRandom[] streams;

    private SampleNoise(SplittableRandom[] streams) {
        this.streams = streams;
    }

    /** Streams for samples {@code firstIndex, …, firstIndex + count − 1} of seed {@code seed}. */
    public static SampleNoise forSamples(long seed, long firstIndex, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        SplittableRandom[] streams = new SplittableRandom[count];
        for (int i = 0; i < count; i++) {
            streams[i] = new SplittableRandom(mix(mix(seed) + firstIndex + i));
        }
        return new SampleNoise(streams);
    }

    /** Number of samples (the batch size). */
    public int count() {
        return streams.length;
    }

    /** Standard normal noise of shape {@code [count, perSample...]}. */
    public NDArray normal(NDManager manager, Shape perSample) {
        return draw(manager, perSample, stream -> (float) stream.nextGaussian());
    }

    /** Rademacher (±1) noise of shape {@code [count, perSample...]}. */
    public NDArray rademacher(NDManager manager, Shape perSample) {
        return draw(manager, perSample, stream -> stream.nextBoolean() ? 1f : -1f);
    }

    /** One value per coordinate, drawn from each sample's own stream in order. */
    private NDArray draw(NDManager manager, Shape perSample, Draw draw) {
        int dims = Math.toIntExact(perSample.size());
        float[] values = new float[streams.length * dims];
        for (int s = 0; s < streams.length; s++) {
            for (int d = 0; d < dims; d++) {
                values[s * dims + d] = draw.next(streams[s]);
            }
        }
        return manager.create(values, batchShape(perSample));
    }

    @FunctionalInterface
    private interface Draw {
        float next(SplittableRandom stream);
    }

    private Shape batchShape(Shape perSample) {
        return new Shape(streams.length).addAll(perSample);
    }

    /** SplitMix64 finaliser: decorrelates neighbouring seeds and indices. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
