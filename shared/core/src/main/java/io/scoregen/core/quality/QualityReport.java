package io.scoregen.core.quality;

/**
 * Sample quality against a reference set, in the shipped classifier's feature space: the Fréchet distance, improved
 * precision and recall, and how many samples and reference images were compared.
 */
public record QualityReport(double fd, double precision, double recall, int count, int referenceCount) {}
