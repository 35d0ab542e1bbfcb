package io.scoregen.platform.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka (broker and controller combined) running inside the test JVM on an ephemeral loopback
 * port. Its log directories live under {@code java.io.tmpdir}, which the build points at {@code target/}; they are
 * deleted on {@link #close()}.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats, starts and waits until the broker answers; about 2–3 s. */
    public static KafkaTestBroker start() {
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    // One broker: internal topics with one replica; few partitions and no join delay keep groups fast.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaTestBroker(cluster);
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster, e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("in-process Kafka broker did not start", e);
        }
    }

    /** {@code host:port} list to give clients as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("in-process Kafka broker did not stop cleanly", e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception primary) {
        try {
            cluster.close();
        } catch (Exception suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
