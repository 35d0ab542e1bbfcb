package io.scoregen.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.Progress;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream's window and fan-out without a server: what a slow client costs the fold (nothing but itself). */
class JobStreamFanOutTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration NO_KEEP_ALIVE_HERE = Duration.ofHours(1);

    private static JobStream.Change change(long seq, String jobId) {
        JobView view = new JobView(
                jobId,
                JobType.TRAIN,
                JobState.RUNNING,
                new Progress(seq, 1_000_000),
                null,
                null,
                1L,
                1L,
                seq,
                null,
                null,
                List.of(),
                0,
                null,
                null,
                null);
        return new JobStream.Change(seq, view);
    }

    @Test
    void theWindowServesWhatChangedSinceAnIdItReachesBackTo() {
        JobStream stream = new JobStream(10, 10, NO_KEEP_ALIVE_HERE);
        for (long seq = 101; seq <= 120; seq++) {
            stream.record(seq, seq % 3 == 0 ? "a" : seq % 3 == 1 ? "b" : "c");
        }
        // The window holds 111..120: an id from 110 on can be served, an older or a newer one cannot.
        assertEquals(Optional.empty(), stream.changedSince(109, 120));
        assertEquals(Optional.empty(), stream.changedSince(121, 120));
        assertEquals(Optional.of(List.of()), stream.changedSince(120, 120));
        // 118 = b, 119 = c, 120 = a; 117 (a) is superseded by 120.
        assertEquals(Optional.of(List.of("b", "c", "a")), stream.changedSince(116, 120));
        assertEquals(Optional.of(List.of("a")), stream.changedSince(119, 120));
        assertTrue(stream.changedSince(110, 120).orElseThrow().containsAll(List.of("a", "b", "c")));
    }

    @Test
    void aSubscriberThatKeepsUpGetsEveryChangeInOrder() {
        JobStream stream = new JobStream(10, 64, NO_KEEP_ALIVE_HERE);
        AssertSubscriber<JobStream.Item> client =
                stream.subscribe(List.of(), null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        // Published one at a time with room in the buffer, as the fold would at its own pace.
        for (long seq = 1; seq <= 500; seq++) {
            stream.publish(change(seq, seq % 2 == 0 ? "a" : "b"));
            long expected = seq + 1; // the opening keep-alive, then the changes
            client.awaitItems((int) expected, WAIT);
        }
        List<JobStream.Item> items = client.getItems();
        assertTrue(items.get(0) instanceof JobStream.KeepAlive);
        for (int i = 1; i < items.size(); i++) {
            assertEquals(i, ((JobStream.Change) items.get(i)).sequence());
        }
        client.cancel();
        assertEquals(0, stream.subscriberCount());
    }

    @Test
    void aClientThatReadsNothingIsDroppedAndNeverHoldsUpThePublisher() {
        JobStream stream = new JobStream(10, 16, NO_KEEP_ALIVE_HERE);
        // Subscribed but asking for nothing: its changes wait in its buffer until it overflows.
        AssertSubscriber<JobStream.Item> stalled =
                stream.subscribe(List.of(), null).subscribe().withSubscriber(AssertSubscriber.create(0));
        // And one that read its opening and then stopped reading: the delivery queue and the buffer fill up.
        AssertSubscriber<JobStream.Item> slow =
                stream.subscribe(List.of(), null).subscribe().withSubscriber(AssertSubscriber.create(1));
        slow.awaitItems(1, WAIT);
        assertEquals(2, stream.subscriberCount());
        for (long seq = 1; seq <= 10_000; seq++) {
            stream.publish(change(seq, "a"));
        }
        // Both are gone; their streams end (normally: the client reconnects with Last-Event-ID).
        assertEquals(0, stream.subscriberCount());
        slow.request(Long.MAX_VALUE);
        slow.awaitCompletion(WAIT);
        assertTrue(slow.getItems().size() < 10_000, slow.getItems().size() + " items");
        stalled.request(Long.MAX_VALUE);
        stalled.awaitCompletion(WAIT);
        assertEquals(1, stalled.getItems().size(), "the opening keep-alive only: its changes were dropped");
    }

    @Test
    void keepAlivesRepeat() {
        JobStream stream = new JobStream(10, 16, Duration.ofMillis(50));
        AssertSubscriber<JobStream.Item> client =
                stream.subscribe(List.of(), "a").subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        client.awaitItems(3, WAIT);
        assertTrue(client.getItems().stream().allMatch(i -> i instanceof JobStream.KeepAlive));
        client.cancel();
        assertEquals(0, stream.subscriberCount());
    }
}
