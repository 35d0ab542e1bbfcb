package io.scoregen.platform.metrics;

import java.util.function.LongSupplier;

/**
 * How a worker on a GPU reads that GPU's used memory (the platform has no CUDA binding of its own).
 *
 * @param device the {@code device} label, e.g. {@code gpu(0)}
 * @param usedBytes bytes in use on the device now
 */
public record GpuMemory(String device, LongSupplier usedBytes) {}
