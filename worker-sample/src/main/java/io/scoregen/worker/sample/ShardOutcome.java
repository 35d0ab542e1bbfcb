package io.scoregen.worker.sample;

import java.util.List;

/**
 * What a finished shard wrote.
 *
 * @param resultKeys the objects uploaded: {@code samples.npy}, then PNGs and the grid for images
 * @param nfe        score evaluations, summed over batches
 */
public record ShardOutcome(List<String> resultKeys, long nfe) {
}
