package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name finder the catalogue checks rely on: it must neither miss names nor invent them. */
final class RulesPromQlTest {

    @Test
    void findsSelectorsInsideCallsAndBinaryOperators() {
        assertEquals(
                Set.of("a_total", "b_bucket", "c"),
                RulesPromQl.metricNames("sum by (kind) (rate(a_total[5m])) / histogram_quantile(0.9, sum by (le) "
                        + "(rate(b_bucket[1h]))) + c"));
    }

    @Test
    void skipsLabelsStringsKeywordsDurationsAndNumbers() {
        assertEquals(
                Set.of("up", "x"),
                RulesPromQl.metricNames(
                        "label_replace(max by (job) (up{job=~\"a|b\"} offset 5m) == 1, \"type\", \"$1\", "
                                + "\"job\", \"w-(.+)\")"
                                + " unless on (type) group_left (reason) x > bool 1e3 or vector(0) and Inf"));
    }

    @Test
    void skipsGrafanaVariablesAndSubqueries() {
        assertEquals(Set.of("y"), RulesPromQl.metricNames("min_over_time(rate(y[$__rate_interval])[10m:1m])"));
    }

    @Test
    void keepsRecordedNamesWithColons() {
        assertEquals(Set.of("kind:z:ratio30m"), RulesPromQl.metricNames("kind:z:ratio30m > 0.25"));
    }
}
