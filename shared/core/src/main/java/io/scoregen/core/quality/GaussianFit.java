package io.scoregen.core.quality;

/**
 * The mean and (unbiased, {@code n − 1}) covariance of a set of feature vectors, in double precision: what
 * {@link FrechetDistance} compares.
 */
public record GaussianFit(double[] mean, double[][] covariance) {

    /** Fits {@code count} vectors of {@code dim} values, row-major in {@code features}; needs two vectors or more. */
    public static GaussianFit of(float[] features, int count, int dim) {
        if (count < 2 || dim <= 0 || features.length != (long) count * dim) {
            throw new IllegalArgumentException(
                    features.length + " values are not " + count + " ≥ 2 vectors of dimension " + dim);
        }
        double[] mean = new double[dim];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < dim; i++) {
                mean[i] += features[n * dim + i];
            }
        }
        for (int i = 0; i < dim; i++) {
            mean[i] /= count;
        }
        double[][] covariance = new double[dim][dim];
        double[] centred = new double[dim];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < dim; i++) {
                centred[i] = features[n * dim + i] - mean[i];
            }
            for (int i = 0; i < dim; i++) {
                double ci = centred[i];
                double[] row = covariance[i];
                for (int j = i; j < dim; j++) {
                    row[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                covariance[i][j] /= count - 1;
                covariance[j][i] = covariance[i][j];
            }
        }
        return new GaussianFit(mean, covariance);
    }
}
