package io.scoregen.platform.messages;

/**
 * Work done out of work to do: training steps for a train job, samples for a sampling job
 * (or for one shard of it, in a shard's event).
 */
public record Progress(long done, long total) {

    /** Fraction in [0, 1]; 0 while the total is unknown. */
    public double fraction() {
        return total <= 0 ? 0.0 : Math.min(1.0, (double) done / total);
    }
}
