package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The hand-off assignment rules, on plain subscriptions (no broker needed: the assignor is a pure function). */
class HandOffAssignorTest {

    private static final String TOPIC = "jobs";
    private static final Node NODE = new Node(0, "localhost", 9092);
    private static final Cluster CLUSTER = new Cluster(
            "c",
            List.of(NODE),
            IntStream.range(0, 6)
                    .mapToObj(i -> new PartitionInfo(TOPIC, i, NODE, new Node[] {NODE}, new Node[] {NODE}))
                    .toList(),
            Set.of(),
            Set.of());

    private static TopicPartition p(int i) {
        return new TopicPartition(TOPIC, i);
    }

    /** A member's subscription as its assignor reports it: busy with {@code busy} (or idle when null). */
    private static Subscription member(TopicPartition busy, List<TopicPartition> owned) {
        HandOffAssignor assignor = new HandOffAssignor();
        HandOffAssignor.Busy state = new HandOffAssignor.Busy();
        if (busy != null) {
            state.start(busy);
        }
        assignor.configure(Map.of(HandOffAssignor.BUSY, state));
        ByteBuffer data = assignor.subscriptionUserData(Set.of(TOPIC));
        return new Subscription(List.of(TOPIC), data, owned);
    }

    private static Map<String, List<TopicPartition>> assign(Map<String, Subscription> members) {
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        new HandOffAssignor()
                .assign(CLUSTER, new GroupSubscription(members))
                .groupAssignment()
                .forEach((m, a) -> out.put(
                        m,
                        a.partitions().stream()
                                .sorted(Comparator.comparingInt(TopicPartition::partition))
                                .toList()));
        return out;
    }

    @Test
    void aBusyMemberKeepsOnlyItsJobsPartitionAndTheOthersAreWithheldUntilRevoked() {
        Map<String, Subscription> round1 = Map.of(
                "a", member(p(1), List.of(p(0), p(1), p(2))),
                "b", member(null, List.of(p(3), p(4), p(5))));
        // a's other partitions are still a's: b gets them only in the follow-up rebalance (cooperative).
        assertEquals(Map.of("a", List.of(p(1)), "b", List.of(p(3), p(4), p(5))), assign(round1));
        Map<String, Subscription> round2 = Map.of(
                "a", member(p(1), List.of(p(1))),
                "b", member(null, List.of(p(3), p(4), p(5))));
        assertEquals(Map.of("a", List.of(p(1)), "b", List.of(p(0), p(2), p(3), p(4), p(5))), assign(round2));
    }

    @Test
    void idleMembersShareEvenlyAndKeepWhatTheyOwn() {
        Map<String, Subscription> members = Map.of(
                "a", member(null, List.of(p(0), p(1), p(2), p(3), p(4), p(5))),
                "b", member(null, List.of()),
                "c", member(null, List.of()));
        Map<String, List<TopicPartition>> first = assign(members);
        assertEquals(List.of(p(0), p(1)), first.get("a"), "a keeps its quota and revokes the rest");
        assertEquals(List.of(), first.get("b"));
        Map<String, List<TopicPartition>> second = assign(Map.of(
                "a", member(null, List.of(p(0), p(1))),
                "b", member(null, List.of()),
                "c", member(null, List.of())));
        assertEquals(Map.of("a", List.of(p(0), p(1)), "b", List.of(p(2), p(4)), "c", List.of(p(3), p(5))), second);
    }

    @Test
    void withEveryMemberBusyPartitionsStayWithTheirOwnersAndAClaimOnAnotherOwnersPartitionIsIgnored() {
        Map<String, Subscription> allBusy = Map.of(
                "a", member(p(0), List.of(p(0), p(1), p(2))),
                "b", member(p(3), List.of(p(3), p(4), p(5))));
        assertEquals(Map.of("a", List.of(p(0), p(1), p(2)), "b", List.of(p(3), p(4), p(5))), assign(allBusy));
        // c says it is busy with a partition b owns (c lost it): c counts as idle, and gets b's surplus only once b
        // has revoked it.
        assertEquals(
                Map.of("b", List.of(p(0), p(1), p(2)), "c", List.of()),
                assign(Map.of(
                        "b", member(null, List.of(p(0), p(1), p(2), p(3), p(4), p(5))),
                        "c", member(p(3), List.of()))));
    }

    @Test
    void aBusyMemberReportsOnlyWhileBusyAndSaysWhetherARebalanceSawIt() {
        HandOffAssignor assignor = new HandOffAssignor();
        HandOffAssignor.Busy state = new HandOffAssignor.Busy();
        assignor.configure(Map.of(HandOffAssignor.BUSY, state));
        assertEquals(null, assignor.subscriptionUserData(Set.of(TOPIC)));
        state.start(p(2));
        assertFalse(state.end(), "no rebalance saw the job");
        state.start(p(2));
        assertTrue(assignor.subscriptionUserData(Set.of(TOPIC)).hasRemaining());
        assertTrue(state.end());
        assertEquals(null, assignor.subscriptionUserData(Set.of(TOPIC)));
    }
}
