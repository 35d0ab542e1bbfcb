package io.scoregen.gateway.jobs;

import io.scoregen.platform.messages.JobView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The registry's changes as a live feed: the window of recent (sequence, job) pairs that a reconnecting client is
 * served from, and the fan-out to subscribers.
 *
 * <p>The fold must never wait for a client: each subscriber has a bounded buffer, and one that falls so far behind that
 * it overflows is dropped (its stream ends; the client reconnects with {@code Last-Event-ID} and is served from the
 * window). Deliveries leave the publishing thread at once ({@code emitOn} a worker pool), so neither the Kafka follower
 * nor a submitting request ever serialises or writes a response. {@link #record}, {@link #publish},
 * {@link #changedSince} and {@link #subscribe} are called under the registry's lock, which orders changes and makes a
 * subscriber's opening and its live changes seamless.
 */
public final class JobStream {

    private static final Logger LOG = Logger.getLogger(JobStream.class);

    /**
     * Something a stream sends: a change of one job, the notice that a reconnecting client must start over, or a
     * keep-alive.
     */
    public sealed interface Item permits Change, Reset, KeepAlive {}

    /** A job's view as of a registry change; {@code sequence} is the change's (the latest change of the job's). */
    public record Change(long sequence, JobView view) implements Item {}

    /** The client's {@code Last-Event-ID} is not of this window: it gets the full snapshot after this. */
    public record Reset() implements Item {}

    /**
     * Sent first (so the response starts at once) and then every keep-alive interval, so that proxies do not close a
     * quiet stream and a client that has gone is noticed.
     */
    public record KeepAlive() implements Item {}

    private static final KeepAlive KEEP_ALIVE = new KeepAlive();

    private record Entry(long sequence, String jobId) {}

    private final int windowSize;
    private final int bufferSize;
    private final Duration keepAlive;
    private final ArrayDeque<Entry> window = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /**
     * @param windowSize how many recent changes a reconnecting client can be served from
     * @param bufferSize changes a subscriber may fall behind by before it is dropped
     * @param keepAlive interval of the keep-alives
     */
    public JobStream(int windowSize, int bufferSize, Duration keepAlive) {
        if (windowSize < 1 || bufferSize < 1 || keepAlive.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "window and buffer must hold a change, and keep-alives need an interval");
        }
        this.windowSize = windowSize;
        this.bufferSize = bufferSize;
        this.keepAlive = keepAlive;
    }

    void record(long sequence, String jobId) {
        if (window.size() == windowSize) {
            window.removeFirst();
        }
        window.addLast(new Entry(sequence, jobId));
    }

    /** Whether any subscriber follows the job, so the registry computes a view only for those that are watched. */
    boolean watched(String jobId) {
        for (Subscriber s : subscribers) {
            if (s.follows(jobId)) {
                return true;
            }
        }
        return false;
    }

    void publish(Change change) {
        for (Subscriber s : subscribers) {
            if (s.follows(change.view().jobId())) {
                s.offer(change);
            }
        }
    }

    /**
     * The jobs changed after sequence {@code after}, in the order of their latest change, or empty if the window does
     * not tell: {@code after} is older than the window or newer than {@code current} (another instance's, or from
     * before a restart).
     */
    Optional<List<String>> changedSince(long after, long current) {
        long oldest = window.isEmpty() ? current + 1 : window.peekFirst().sequence();
        if (after > current || after < oldest - 1) {
            return Optional.empty();
        }
        LinkedHashSet<String> latestFirst = new LinkedHashSet<>();
        for (Iterator<Entry> it = window.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.sequence() <= after) {
                break;
            }
            latestFirst.add(e.jobId());
        }
        List<String> jobs = new ArrayList<>(latestFirst);
        Collections.reverse(jobs);
        return Optional.of(jobs);
    }

    /**
     * A stream of {@code opening} and then every change published from now on (of {@code jobId} only, unless null). It
     * takes changes at once, so none falls between the opening and the live part; they wait in the subscriber's buffer
     * until the opening has been sent.
     */
    Multi<Item> subscribe(List<? extends Item> opening, String jobId) {
        Subscriber subscriber = new Subscriber(jobId);
        subscribers.add(subscriber);
        Multi<Item> live = Multi.createFrom()
                .<Item>emitter(subscriber::attach, bufferSize)
                .emitOn(Infrastructure.getDefaultWorkerPool());
        List<Item> first = new ArrayList<>(opening.size() + 1);
        first.add(KEEP_ALIVE);
        first.addAll(opening);
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().iterable(first), live)
                .onFailure(BackPressureFailure.class)
                .invoke(e -> LOG.infof("dropping a stream subscriber that fell %d changes behind", bufferSize))
                .onFailure(BackPressureFailure.class)
                .recoverWithCompletion()
                .onTermination()
                .invoke(subscriber::close);
    }

    /** Subscribers now, for tests and metrics. */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** One stream's end of the fan-out: buffers until the stream is subscribed, then hands over to its emitter. */
    private final class Subscriber {
        private final String jobId;
        private final ArrayDeque<Change> pending = new ArrayDeque<>();
        private MultiEmitter<? super Item> emitter;
        private boolean overflowed;
        private ScheduledFuture<?> keepAlives;

        Subscriber(String jobId) {
            this.jobId = jobId;
        }

        boolean follows(String job) {
            return jobId == null || jobId.equals(job);
        }

        synchronized void offer(Item item) {
            if (emitter != null) {
                // Bounded: an emitter whose buffer is full fails its stream with a BackPressureFailure.
                emitter.emit(item);
            } else if (!(item instanceof Change change)) {
                return;
            } else if (pending.size() < bufferSize) {
                pending.addLast(change);
            } else {
                overflowed = true;
                subscribers.remove(this);
            }
        }

        synchronized void attach(MultiEmitter<? super Item> e) {
            e.onTermination(this::close);
            if (overflowed) {
                e.fail(new BackPressureFailure("fell " + bufferSize + " changes behind before the stream started"));
                return;
            }
            pending.forEach(e::emit);
            pending.clear();
            emitter = e;
            long every = keepAlive.toMillis();
            keepAlives = Infrastructure.getDefaultWorkerPool()
                    .scheduleAtFixedRate(() -> offer(KEEP_ALIVE), every, every, TimeUnit.MILLISECONDS);
        }

        synchronized void close() {
            subscribers.remove(this);
            if (keepAlives != null) {
                keepAlives.cancel(false);
            }
        }
    }
}
