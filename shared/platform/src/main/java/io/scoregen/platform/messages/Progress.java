package io.scoregen.platform.messages;

/**
 * Work done out of work to do: training steps for a train job, samples for a sampling job (or for one shard of it, in a
 * shard's event).
 */
public record Progress(long done, long total) {}
