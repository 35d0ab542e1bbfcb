package io.scoregen.core.model;

/**
 * The class that samples were drawn for: its label ({@code labels.npy}) and its name (a webdataset sample's
 * {@code class}), both from the model's classes, whichever of them the job asked by.
 *
 * @param label 0 … K−1
 * @param name the model's name for that label ({@code sandal}; the label as a number for unnamed classes)
 */
public record SampleClass(int label, String name) {}
