package io.scoregen.platform.worker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A cooperative assignor for job topics: a worker busy with a long job keeps only that job's partition, every other
 * partition goes to the idle workers (sticky, balanced; a member counts as busy once its job has run
 * {@code scoregen.worker.hand-off-after-ms}, a younger job's partition may move like any other). A worker that pauses
 * its partitions while one job runs would otherwise hold the jobs queued on its other partitions hostage while idle
 * workers have nothing to do.
 *
 * <p>Each member tells the leader its busy partition in its subscription's user data ({@link Busy}, shared with the
 * consumer through the config key {@link #BUSY}). A partition moves in two rebalances, as the cooperative protocol
 * demands: first withheld from its old owner (which revokes it), then, in the follow-up rebalance the revocation
 * triggers, given to the new one. The running job's partition never moves while its owner is a member, so handing off
 * never stops a job.
 */
public final class HandOffAssignor implements ConsumerPartitionAssignor, Configurable {

    public static final String NAME = "scoregen-hand-off";
    /** The consumer config key whose value is the consumer's {@link Busy}. */
    public static final String BUSY = "scoregen.hand-off.busy";

    /**
     * The partition of the long job this worker runs, if any, as the assignor reports it at each join; {@link #end()}
     * says whether a rebalance has seen this worker busy since {@link #start}, so that it may have given partitions
     * away.
     */
    public static final class Busy {
        private final AtomicReference<TopicPartition> partition = new AtomicReference<>();
        private final AtomicBoolean reported = new AtomicBoolean();

        /** The job of partition {@code running} has run long enough to count as busy. */
        public void start(TopicPartition running) {
            reported.set(false);
            partition.set(running);
        }

        /** The job has ended; returns whether a rebalance saw it busy (the worker may hold less than its share). */
        public boolean end() {
            partition.set(null);
            return reported.getAndSet(false);
        }

        Optional<TopicPartition> report() {
            TopicPartition p = partition.get();
            if (p != null) {
                reported.set(true);
            }
            return Optional.ofNullable(p);
        }
    }

    private Busy busy = new Busy();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(BUSY) instanceof Busy shared) {
            busy = shared;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return busy.report()
                .map(p -> ByteBuffer.wrap((p.partition() + ":" + p.topic()).getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        Map<TopicPartition, String> owners = new HashMap<>();
        members.forEach((member, s) -> s.ownedPartitions().forEach(p -> owners.putIfAbsent(p, member)));
        Map<String, List<TopicPartition>> assigned = new TreeMap<>();
        Map<String, TopicPartition> busyWith = new HashMap<>();
        members.forEach((member, s) -> {
            assigned.put(member, new ArrayList<>());
            // Only a partition the member still owns is its job's: after a lost partition it is the new owner's.
            busyPartition(s).filter(p -> member.equals(owners.get(p))).ifPresent(p -> busyWith.put(member, p));
        });
        Set<String> topics = new TreeSet<>();
        members.values().forEach(s -> topics.addAll(s.topics()));
        for (String topic : topics) {
            List<String> subscribers = members.entrySet().stream()
                    .filter(e -> e.getValue().topics().contains(topic))
                    .map(Map.Entry::getKey)
                    .toList();
            List<String> idle =
                    subscribers.stream().filter(m -> !busyWith.containsKey(m)).toList();
            List<TopicPartition> free = new ArrayList<>();
            for (PartitionInfo info : metadata.partitionsForTopic(topic)) {
                TopicPartition p = new TopicPartition(topic, info.partition());
                String busyOwner = owners.get(p);
                if (busyOwner != null && p.equals(busyWith.get(busyOwner))) {
                    assigned.get(busyOwner).add(p);
                } else {
                    free.add(p);
                }
            }
            free.sort(Comparator.comparingInt(TopicPartition::partition));
            // With every subscriber busy nobody is better placed: partitions stay (paused) with their owners.
            spread(free, idle.isEmpty() ? subscribers : idle, owners, assigned);
        }
        Map<String, Assignment> out = new HashMap<>();
        assigned.forEach((member, partitions) -> out.put(member, new Assignment(partitions)));
        return new GroupAssignment(out);
    }

    /** Balances {@code free} over {@code takers}, keeping each partition with its owner where the balance allows. */
    private static void spread(
            List<TopicPartition> free,
            List<String> takers,
            Map<TopicPartition, String> owners,
            Map<String, List<TopicPartition>> assigned) {
        if (takers.isEmpty()) {
            return;
        }
        int quota = (free.size() + takers.size() - 1) / takers.size();
        Map<String, Integer> load = new HashMap<>();
        takers.forEach(t -> load.put(t, 0));
        List<TopicPartition> moving = new ArrayList<>();
        for (TopicPartition p : free) {
            String owner = owners.get(p);
            if (owner != null && load.containsKey(owner) && load.get(owner) < quota) {
                assigned.get(owner).add(p);
                load.merge(owner, 1, Integer::sum);
            } else {
                moving.add(p);
            }
        }
        for (TopicPartition p : moving) {
            String taker = takers.stream()
                    .min(Comparator.comparingInt((String t) -> load.get(t)).thenComparing(t -> t))
                    .orElseThrow();
            load.merge(taker, 1, Integer::sum);
            // Cooperative: a partition another member still owns is withheld now and given in the follow-up rebalance.
            String owner = owners.get(p);
            if (owner == null || owner.equals(taker) || !assigned.containsKey(owner)) {
                assigned.get(taker).add(p);
            }
        }
    }

    private static Optional<TopicPartition> busyPartition(Subscription s) {
        ByteBuffer data = s.userData();
        if (data == null || !data.hasRemaining()) {
            return Optional.empty();
        }
        String text = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
        int colon = text.indexOf(':');
        try {
            return Optional.of(
                    new TopicPartition(text.substring(colon + 1), Integer.parseInt(text.substring(0, colon))));
        } catch (RuntimeException e) {
            return Optional.empty(); // another version's data: treat the member as idle
        }
    }
}
