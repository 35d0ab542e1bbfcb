package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobFoldTest {

    private static JobStatus queued(JobType type, long total, int shards) {
        return new JobStatus("j", type, JobState.QUEUED, total, shards, 100L, 100L, null, "gw");
    }

    private static JobEvent train(JobState s, long step, Double loss, long at) {
        return new JobEvent("j", JobType.TRAIN, null, s, new Progress(step, 50), loss, null, List.of(), null, at, "w");
    }

    private static JobEvent shard(int i, JobState s, long done, long total, long at, String... keys) {
        return new JobEvent(
                "j",
                JobType.SAMPLE,
                i,
                s,
                new Progress(done, total),
                null,
                s == JobState.FAILED ? "boom" : null,
                List.of(keys),
                null,
                at,
                "w" + i);
    }

    @Test
    void trainingProgressAndLossFollowTheFurthestStepWhateverTheOrder() {
        List<Object> records = new ArrayList<>(List.of(
                queued(JobType.TRAIN, 50, 1),
                train(JobState.RUNNING, 10, 0.9, 200),
                train(JobState.RUNNING, 30, 0.5, 300),
                train(JobState.RUNNING, 20, 0.7, 250)));
        Collections.shuffle(records, new Random(3));
        JobView v = fold(records);
        assertEquals(JobState.RUNNING, v.status());
        assertEquals(new Progress(30, 50), v.progress());
        assertEquals(0.5, v.loss());
        assertEquals(200L, v.startedAt());
        assertEquals(300L, v.updatedAt());
        assertNull(v.finishedAt());
        assertNull(v.shards());
    }

    @Test
    void aSamplingJobSucceedsWhenEveryShardHas() {
        JobFold f = new JobFold("j");
        f.apply(queued(JobType.SAMPLE, 25, 3));
        f.apply(shard(0, JobState.SUCCEEDED, 10, 10, 210, "samples/j/0.npy"));
        f.apply(shard(1, JobState.RUNNING, 4, 10, 220));
        f.apply(shard(1, JobState.RUNNING, 2, 10, 215)); // late, smaller: progress stays
        JobView v = f.view();
        assertEquals(JobState.RUNNING, v.status());
        assertEquals(new Progress(14, 25), v.progress());
        assertEquals(new JobView.ShardCounts(3, 1, 1, 0), v.shards());
        f.apply(shard(1, JobState.SUCCEEDED, 10, 10, 300, "samples/j/1.npy"));
        f.apply(shard(2, JobState.SUCCEEDED, 5, 5, 290, "samples/j/2.npy"));
        f.apply(shard(2, JobState.RUNNING, 3, 5, 280)); // redelivered: terminal state is kept
        v = f.view();
        assertEquals(JobState.SUCCEEDED, v.status());
        assertEquals(new Progress(25, 25), v.progress());
        assertEquals(300L, v.finishedAt());
        assertEquals(List.of("samples/j/0.npy", "samples/j/1.npy", "samples/j/2.npy"), v.resultKeys());
    }

    @Test
    void theFinishedShardsSummariesAreCombinedAndAStaleRedeliveryChangesNothing() {
        SamplerSpec heun = SamplerSpec.of(SamplerType.HEUN, 18);
        JobFold f = new JobFold("j");
        f.apply(queued(JobType.SAMPLE, 30, 2));
        assertNull(f.view().summary(), "no shard has finished");
        f.apply(shard(1, JobState.SUCCEEDED, 10, 10, 300).withSummary(SampleSummary.of(heun, 40, 10, 2)));
        f.apply(shard(0, JobState.SUCCEEDED, 20, 20, 310).withSummary(SampleSummary.of(heun, 25, 20, 4)));
        f.apply(shard(0, JobState.RUNNING, 5, 20, 250)); // redelivered progress carries no summary
        SampleSummary job = f.view().summary();
        assertEquals(30, job.count());
        assertEquals(6.0, job.seconds(), 1e-12);
        assertEquals(5.0, job.samplesPerSecond(), 1e-12);
        assertEquals((25.0 * 20 + 40.0 * 10) / 30, job.nfe(), 1e-12, "NFE weighted by each shard's count");
        assertEquals(18, job.steps());
    }

    @Test
    void aJobIsPublishingUntilAShardStartsOrAllAreOutAndACancelStillStands() {
        JobStatus publishing = queued(JobType.SAMPLE, 30, 3).withPublished(0, 100L, "gw");
        assertEquals(JobState.PUBLISHING, publishing.status());
        JobStatus oneOut = publishing.withPublished(1, 110L, "gw");
        assertEquals(JobState.PUBLISHING, fold(List.of(publishing, oneOut)).status());
        assertEquals(1, oneOut.published());
        // A shard already out may start before the rest are.
        assertEquals(
                JobState.RUNNING,
                fold(List.of(oneOut, shard(0, JobState.RUNNING, 1, 10, 120))).status());
        JobStatus allOut = oneOut.withPublished(3, 130L, "gw");
        assertEquals(JobState.QUEUED, allOut.status());
        assertNull(allOut.published());
        assertEquals(JobState.QUEUED, fold(List.of(oneOut, allOut)).status());
        assertEquals(JobState.QUEUED, fold(List.of(allOut, oneOut)).status(), "the newer snapshot stands");
        JobStatus cancelled = oneOut.with(JobState.CANCELLED, "by client", 115L, "gw");
        assertEquals(JobState.CANCELLED, fold(List.of(cancelled, allOut)).status());
    }

    @Test
    void aFailedShardFailsTheJobAndCancellationIsSticky() {
        JobFold f = new JobFold("j");
        JobStatus q = queued(JobType.SAMPLE, 20, 2);
        f.apply(q);
        f.apply(shard(0, JobState.FAILED, 0, 10, 200));
        assertEquals(JobState.FAILED, f.view().status());
        assertEquals("boom", f.view().error());

        JobFold c = new JobFold("j");
        c.apply(q.with(JobState.CANCELLED, "by client", 150, "gw"));
        c.apply(q); // an older QUEUED snapshot replayed after the cancel
        c.apply(shard(0, JobState.SUCCEEDED, 10, 10, 200));
        assertEquals(JobState.CANCELLED, c.view().status());
        assertEquals("by client", c.view().error());
        assertEquals(150L, c.view().finishedAt());
    }

    @Test
    void aCancelAfterTheJobSucceededDoesNotUndoItInAnyOrder() {
        JobStatus q = queued(JobType.TRAIN, 50, 1);
        JobStatus succeeded = q.with(JobState.SUCCEEDED, null, 300, "w");
        JobStatus cancelled = q.with(JobState.CANCELLED, "cancelled by client", 310, "gw");
        List<Object> records = List.of(q, train(JobState.SUCCEEDED, 50, 0.1, 290), succeeded, cancelled);
        for (List<Object> order : orders(records)) {
            JobView v = fold(order);
            assertEquals(JobState.SUCCEEDED, v.status(), order.toString());
            assertNull(v.error(), order.toString());
        }
        // Compaction keeps only the last snapshot of the key, the cancel: the SUCCEEDED event still stands first.
        JobView compacted = fold(List.of(cancelled, train(JobState.SUCCEEDED, 50, 0.1, 290)));
        assertEquals(JobState.SUCCEEDED, compacted.status());
        assertEquals(290L, compacted.finishedAt());
    }

    @Test
    void ofTwoTerminalSnapshotsTheFirstStandsAndAtTheSameTimeSucceededWins() {
        JobStatus q = queued(JobType.SAMPLE, 20, 2);
        JobStatus failed = q.with(JobState.FAILED, "poison shard", 200, "w");
        JobStatus cancelledLater = q.with(JobState.CANCELLED, "cancelled by client", 250, "gw");
        JobStatus cancelledAtOnce = q.with(JobState.CANCELLED, "cancelled by client", 200, "gw");
        for (List<Object> order : orders(List.of(q, failed, cancelledLater))) {
            assertEquals(JobState.FAILED, fold(order).status(), order.toString());
            assertEquals("poison shard", fold(order).error(), order.toString());
        }
        for (List<Object> order : orders(List.of(cancelledAtOnce, failed))) {
            assertEquals(JobState.FAILED, fold(order).status(), order.toString());
        }
        assertEquals(failed, JobStatus.prevailing(cancelledLater, failed));
        assertEquals(failed, JobStatus.prevailing(failed, cancelledLater));
        assertEquals(failed, JobStatus.prevailing(failed, q.with(JobState.RUNNING, null, 900, "w")));
    }

    /** Every order of {@code records}. */
    private static List<List<Object>> orders(List<Object> records) {
        if (records.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Object>> all = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            List<Object> rest = new ArrayList<>(records);
            Object first = rest.remove(i);
            for (List<Object> tail : orders(rest)) {
                List<Object> order = new ArrayList<>(List.of(first));
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    @Test
    void replayingEverythingTwiceChangesNothing() {
        List<Object> records = List.of(
                queued(JobType.SAMPLE, 20, 2),
                shard(0, JobState.RUNNING, 3, 10, 150),
                shard(1, JobState.SUCCEEDED, 10, 10, 170, "k/1"));
        List<Object> twice = new ArrayList<>(records);
        twice.addAll(records);
        assertEquals(fold(records), fold(twice));
    }

    @Test
    void aTrainJobsDetailsHoldItsSpecAndLossCurve() {
        JobFold f = new JobFold("j");
        ObjectNode spec = JsonNodeFactory.instance
                .objectNode()
                .put("dataset", "toy:two-moons")
                .put("steps", 50);
        f.apply(new JobStatus("j", JobType.TRAIN, JobState.QUEUED, 50L, 1, 100L, 100L, null, "gw", spec));
        f.apply(train(JobState.RUNNING, 10, 0.9, 200));
        f.apply(train(JobState.RUNNING, 30, 0.5, 300));
        f.apply(train(JobState.RUNNING, 20, 0.7, 250)); // late: not on the curve, which is ascending
        // A cancellation snapshot repeats the spec; one without (another writer's) does not lose it.
        f.apply(new JobStatus("j", JobType.TRAIN, JobState.CANCELLED, 50L, 1, 100L, 400L, "stop", "w"));
        JobFold.Details d = f.details();
        assertEquals(spec, d.spec());
        assertEquals("toy:two-moons", d.view().source(), "a train job's source is its data set");
        assertEquals(List.of(new LossCurve.Point(10, 0.9), new LossCurve.Point(30, 0.5)), d.lossCurve());
        assertNull(d.shardProgress());
        assertEquals(f.view(), d.view());
    }

    @Test
    void aSamplingJobsDetailsListEveryShardByIndex() {
        JobFold f = new JobFold("j");
        f.apply(queued(JobType.SAMPLE, 250, 3));
        f.apply(shard(2, JobState.RUNNING, 20, 50, 200));
        f.apply(shard(0, JobState.SUCCEEDED, 100, 100, 300));
        f.apply(shard(2, JobState.RUNNING, 10, 50, 210)); // late: progress does not go back
        JobFold.Details d = f.details();
        assertEquals(
                List.of(
                        new ShardProgress(0, JobState.SUCCEEDED, 100, 100L),
                        new ShardProgress(1, JobState.QUEUED, 0, null),
                        new ShardProgress(2, JobState.RUNNING, 20, 50L)),
                d.shardProgress());
        assertNull(d.lossCurve());
        assertNull(d.spec(), "a snapshot without a spec (older gateways) leaves it absent");
        assertNull(d.view().source());
    }

    private static JobView fold(List<Object> records) {
        JobFold f = new JobFold("j");
        for (Object r : records) {
            if (r instanceof JobStatus s) {
                f.apply(s);
            } else {
                f.apply((JobEvent) r);
            }
        }
        return f.view();
    }

    @Test
    void theTerminalSnapshotAloneGivesTheViewTheEventsGave() {
        JobFold live = new JobFold("j");
        live.apply(queued(JobType.SAMPLE, 25, 3));
        assertEquals(Optional.empty(), live.ending("samples/j/manifest.json", "gw"), "not ended yet");
        live.apply(shard(0, JobState.RUNNING, 1, 10, 150));
        live.apply(shard(0, JobState.SUCCEEDED, 10, 10, 210, "samples/j/0.npy"));
        live.apply(shard(1, JobState.SUCCEEDED, 10, 10, 300, "samples/j/1.npy"));
        live.apply(shard(2, JobState.SUCCEEDED, 5, 5, 290, "samples/j/2.npy"));
        JobStatus ended = live.ending("samples/j/manifest.json", "gw").orElseThrow();
        assertEquals(JobState.SUCCEEDED, ended.status());
        assertEquals(300L, ended.updatedAt(), "the moment the job ended, whoever writes it");
        assertEquals(new JobResult("samples/j/manifest.json", 25, 150L, null, null, 3, 0, 3), ended.result());

        JobFold rebuilt = new JobFold("j");
        rebuilt.apply(ended);
        JobView before = live.view();
        live.apply(ended);
        assertEquals(Optional.empty(), live.ending("samples/j/manifest.json", "gw"), "recorded once");
        JobView fromSnapshot = rebuilt.view();
        assertEquals(live.view().withResultKeys(List.of()), fromSnapshot, "with or without the events");
        assertEquals(before.progress(), fromSnapshot.progress());
        assertEquals(before.shards(), fromSnapshot.shards());
        assertEquals(before.finishedAt(), fromSnapshot.finishedAt());
        assertEquals(JobState.SUCCEEDED, fromSnapshot.status());
        assertEquals(new Progress(25, 25), fromSnapshot.progress());
        assertEquals(new JobView.ShardCounts(3, 0, 3, 0), fromSnapshot.shards());
        assertEquals(150L, fromSnapshot.startedAt());
        assertEquals(300L, fromSnapshot.finishedAt());
        assertEquals(3, fromSnapshot.resultCount());
        assertEquals("samples/j/manifest.json", fromSnapshot.manifest());
        assertEquals(List.of(), fromSnapshot.resultKeys(), "the keys are in the manifest");

        JobManifest manifest = live.manifest();
        assertEquals(
                List.of(10L, 10L, 5L),
                manifest.shards().stream().map(JobManifest.Shard::count).toList());
        assertEquals(List.of("samples/j/0.npy", "samples/j/1.npy", "samples/j/2.npy"), manifest.allKeys());
    }

    @Test
    void aCancelledJobsEndIsRecordedWithItsResultAndThatSnapshotPrevails() {
        JobStatus queued = queued(JobType.SAMPLE, 20, 2);
        JobStatus cancelled = queued.with(JobState.CANCELLED, "cancelled by client", 500, "gw");
        JobFold fold = new JobFold("j");
        fold.apply(queued);
        fold.apply(shard(0, JobState.SUCCEEDED, 10, 10, 400, "samples/j/0.npy"));
        fold.apply(cancelled);
        JobStatus ended = fold.ending(null, "gw").orElseThrow();
        assertEquals(JobState.CANCELLED, ended.status());
        assertEquals(500L, ended.updatedAt());
        assertEquals(10, ended.result().done());
        assertEquals(ended, JobStatus.prevailing(cancelled, ended), "the same end with its result stands");
        assertEquals(ended, JobStatus.prevailing(ended, cancelled), "whatever the order");
    }

    @Test
    void aViewCarriesTheFirstHundredKeysAndAPageTheFirstThousandShards() {
        JobFold fold = new JobFold("j");
        fold.apply(queued(JobType.SAMPLE, 2000, 2000));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String key = "samples/j/" + i + ".npy";
            keys.add(key);
            fold.apply(shard(i, JobState.SUCCEEDED, 1, 1, 200 + i, key));
        }
        JobView view = fold.view();
        assertEquals(keys.subList(0, JobView.INLINE_RESULT_KEYS), view.resultKeys());
        assertEquals(150, view.resultCount());
        assertEquals(keys, fold.resultKeys());
        List<ShardProgress> progress = fold.details().shardProgress();
        assertEquals(ShardProgress.INLINE_SHARDS, progress.size());
        assertEquals(JobState.QUEUED, progress.get(progress.size() - 1).status());
        assertEquals(2000, view.shards().total());
    }

    /**
     * The fold keeps its shard totals as events arrive; here they are checked against a count over each shard's own
     * events, for random jobs (shards running, redelivered, succeeding, some failing or cancelled) in random orders.
     */
    @Test
    void theStateCountsAndProgressAreThoseOfEveryShardsOwnEventsInAnyOrder() {
        Random random = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            int shards = 1 + random.nextInt(12);
            List<Object> records = new ArrayList<>();
            records.add(queued(JobType.SAMPLE, 10L * shards, shards));
            int running = 0;
            int succeeded = 0;
            int failed = 0;
            long done = 0;
            long lastEnd = 0;
            long keys = 0;
            Integer firstUnsuccessful = null;
            JobState firstUnsuccessfulState = null;
            for (int i = 0; i < shards; i++) {
                int fate = random.nextInt(5); // 0 queued, 1 running, 2 and 3 succeeded, 4 failed or cancelled
                if (fate >= 1) {
                    long progress = 1 + random.nextInt(9);
                    records.add(shard(i, JobState.RUNNING, progress, 10, 200 + i));
                    records.add(shard(i, JobState.RUNNING, progress - 1, 10, 190 + i)); // stale redelivery
                    done += fate == 1 || fate == 4 ? progress : 0;
                    running += fate == 1 ? 1 : 0;
                }
                if (fate == 2 || fate == 3) {
                    long end = 300 + random.nextInt(100);
                    records.add(shard(i, JobState.SUCCEEDED, 10, 10, end, "samples/j/" + i + ".npy"));
                    records.add(shard(i, JobState.SUCCEEDED, 10, 10, end, "samples/j/" + i + ".npy")); // again
                    succeeded++;
                    done += 10;
                    keys++;
                    lastEnd = Math.max(lastEnd, end);
                }
                if (fate == 4) {
                    JobState end = random.nextBoolean() ? JobState.FAILED : JobState.CANCELLED;
                    records.add(shard(i, end, 0, 10, 400 + i));
                    failed += end == JobState.FAILED ? 1 : 0;
                    if (firstUnsuccessful == null) {
                        firstUnsuccessful = i;
                        firstUnsuccessfulState = end;
                    }
                }
            }
            Collections.shuffle(records, random);
            JobView view = fold(records);
            String seen = "trial " + trial + " (seed 17)";
            assertEquals(new JobView.ShardCounts(shards, running, succeeded, failed), view.shards(), seen);
            assertEquals(new Progress(done, 10L * shards), view.progress(), seen);
            assertEquals(keys, view.resultCount(), seen);
            if (firstUnsuccessful != null) {
                assertEquals(firstUnsuccessfulState, view.status(), seen);
                assertEquals(400L + firstUnsuccessful, view.finishedAt(), seen);
            } else if (succeeded == shards) {
                assertEquals(JobState.SUCCEEDED, view.status(), seen);
                assertEquals(lastEnd, view.finishedAt(), seen);
            } else {
                assertEquals(running + succeeded > 0 ? JobState.RUNNING : JobState.QUEUED, view.status(), seen);
            }
        }
    }
}
