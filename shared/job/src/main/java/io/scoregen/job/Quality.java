package io.scoregen.job;

/**
 * How close a set of samples is to a reference set in the feature space of the project's Fashion-MNIST classifier
 * (docs/quality.md): what {@code scoregen evaluate --json} prints and what a sample job asked to {@code evaluate}
 * carries in its summary.
 *
 * @param fd Fréchet distance between the two sets' feature Gaussians (0 for identical sets)
 * @param precision share of samples inside the reference's k-NN manifold (Kynkäänniemi et al. 2019)
 * @param recall share of reference examples inside the samples' k-NN manifold
 * @param count samples compared
 * @param reference what they were compared with, e.g. {@code fashion-mnist:test}
 * @param referenceCount reference examples used
 */
public record Quality(double fd, double precision, double recall, int count, String reference, int referenceCount) {

    /** The reference a sample job's {@code evaluate} compares with: the 10,000 Fashion-MNIST test images. */
    public static final String REFERENCE = "fashion-mnist:test";

    /** One line for a terminal. */
    public String line() {
        return "FD %.3f, precision %.3f, recall %.3f (%d samples against %d of %s)"
                .formatted(fd, precision, recall, count, referenceCount, reference);
    }
}
