package io.scoregen.job;

import java.util.List;

/**
 * The files of a trained model, as the core writes and reads them in a directory and as the platform stores them under
 * {@code models/{id}/model/}: what a train job hands to the sample jobs that name it.
 */
public final class ModelFiles {

    /** The architecture, SDE and data shape and range ({@code ModelConfig} as JSON). */
    public static final String CONFIG = "config.json";
    /** The EMA weights. */
    public static final String PARAMETERS = "parameters.bin";
    /** In the order they are stored: the config last, so that its presence means the model is complete. */
    public static final List<String> IN_STORE_ORDER = List.of(PARAMETERS, CONFIG);

    private ModelFiles() {}
}
