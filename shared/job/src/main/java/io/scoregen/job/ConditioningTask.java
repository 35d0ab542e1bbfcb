package io.scoregen.job;

/**
 * An inverse problem solved while sampling (Song et al. 2021, §6): the known image and, for inpainting, the mask of
 * known pixels, both as object keys in the scoregen bucket.
 *
 * @param kind the problem
 * @param inputKey object key of the known image(s) (for colorization: the grey images)
 * @param maskKey object key of the mask (1 = known pixel); required for inpainting, absent for colorization
 */
public record ConditioningTask(ConditioningKind kind, String inputKey, String maskKey) {}
