package io.scoregen.job;

/**
 * How a sample job conditions its samples (docs/conditional.md): the known image(s) and, for inpainting and the
 * image-to-image tasks that hide pixels, the mask of known pixels, both as object keys in the scoregen bucket. Sample i
 * of a job is conditioned on image {@code i mod N} of the N given.
 *
 * @param kind the problem
 * @param inputKey object key of the known image(s) (for colorization: the grey images; for image-to-image: the degraded
 *     images)
 * @param maskKey object key of the mask (1 = known pixel); required for inpainting and for image-to-image models whose
 *     task hides pixels (inpaint, uncrop), absent otherwise
 * @param degradation image-to-image only: the task the inputs show, one of {@link ImageToImageTask#MULTI_TASKS};
 *     required for a multi model, else absent or the model's own task
 */
public record ConditioningTask(ConditioningKind kind, String inputKey, String maskKey, ImageToImageTask degradation) {

    /** The field naming the inputs' degradation. */
    public static final String DEGRADATION_FIELD = "task.degradation";

    /**
     * Adds the violations of sampling a model of image-to-image task {@code modelTask} (null: none) with {@code task}
     * (null: none): such a model samples with an image-to-image task only, and only such a model does.
     */
    public static void checkForModel(Checks c, ConditioningTask task, ImageToImageTask modelTask) {
        if (task == null) {
            if (modelTask != null) {
                c.add(
                        "task",
                        "required: the model is image-to-image (" + modelTask + "); give its inputs as "
                                + "{\"kind\": \"" + ConditioningKind.IMAGE_TO_IMAGE + "\", \"inputKey\": ...}");
            }
            return;
        }
        if (modelTask == null) {
            if (task.kind() == ConditioningKind.IMAGE_TO_IMAGE) {
                c.add("task.kind", "the model is not image-to-image (train it with model.imageToImage)");
            }
            return;
        }
        if (task.kind() != ConditioningKind.IMAGE_TO_IMAGE) {
            c.add(
                    "task.kind",
                    "the model is image-to-image (" + modelTask + "): it takes the " + ConditioningKind.IMAGE_TO_IMAGE
                            + " kind, not " + task.kind());
            return;
        }
        modelTask.checkRestoring(c, task.degradation(), DEGRADATION_FIELD, "task.maskKey", task.maskKey() != null);
    }
}
