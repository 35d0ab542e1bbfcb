package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard k8s/base/monitoring/scoregen.json: portable (its datasource is a template variable), every
 * query valid PromQL by the real promtool and built from catalogue metrics only (it must work on a Prometheus without
 * the recording rules), the panels the operations issue asks for present, and shipped unchanged in the ConfigMap of
 * k8s/base/monitoring.
 */
final class DashboardTest {

    private static final String DATASOURCE_VARIABLE = "datasource";
    private static final String DATASOURCE_UID = "${" + DATASOURCE_VARIABLE + "}";
    /** Grafana's interval variables, replaced by a duration so promtool can parse the query. */
    private static final Pattern INTERVAL_VARIABLES = Pattern.compile("\\$__(?:rate_interval|interval|range)\\b");
    /** Each topic the dashboard must show, by a series that shows it. */
    private static final Map<String, String> REQUIRED_TOPICS = topics();

    private static Map<String, String> topics() {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("queue depth and consumer lag", "scoregen_worker_consumer_lag_records");
        topics.put("training steps per second", "scoregen_train_steps_total");
        topics.put("samples per second", "scoregen_sample_samples_total");
        topics.put("jobs submitted per second", "scoregen_gateway_jobs_submitted_total");
        topics.put("task duration quantiles", "scoregen_worker_task_duration_seconds_bucket");
        topics.put("publish latency", "scoregen_gateway_publish_duration_seconds_bucket");
        topics.put("training loss", "scoregen_train_loss");
        topics.put("worker count", "up");
        topics.put("failures by reason", "scoregen_worker_tasks_failed_total");
        topics.put("native memory", "scoregen_worker_native_memory_bytes");
        topics.put("JVM heap", "jvm_memory_used_bytes");
        return Map.copyOf(topics);
    }

    private record Query(String panel, String expr) {}

    private static JsonNode dashboard() {
        return RulesRepository.json(RulesRepository.DASHBOARD);
    }

    /** Panels that draw data: all but rows, including those nested in collapsed rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets")
                    .forEach(t -> queries.add(new Query(
                            panel.path("title").asText(), t.path("expr").asText())));
        }
        return queries;
    }

    @Test
    void datasourceIsATemplateVariableAndNoUidIsHardCoded() {
        JsonNode dashboard = dashboard();
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion " + dashboard.path("schemaVersion"));
        JsonNode variable = null;
        for (JsonNode candidate : dashboard.path("templating").path("list")) {
            if (DATASOURCE_VARIABLE.equals(candidate.path("name").asText())) {
                variable = candidate;
            }
        }
        assertTrue(variable != null, "no template variable named " + DATASOURCE_VARIABLE);
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());

        List<JsonNode> panels = panels(dashboard);
        assertFalse(panels.isEmpty(), "dashboard has no panels");
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertEquals(DATASOURCE_UID, panel.path("datasource").path("uid").asText(), title + " datasource");
            assertFalse(panel.path("targets").isEmpty(), title + " has no queries");
            for (JsonNode target : panel.path("targets")) {
                JsonNode datasource = target.path("datasource");
                assertTrue(
                        datasource.isMissingNode()
                                || DATASOURCE_UID.equals(datasource.path("uid").asText()),
                        title + " query " + target.path("refId").asText() + " datasource " + datasource);
            }
        }
        Set<String> uids = new TreeSet<>();
        collectDatasourceUids(dashboard, uids);
        assertEquals(Set.of(DATASOURCE_UID), uids, "datasource uids anywhere in the dashboard");
    }

    private static void collectDatasourceUids(JsonNode node, Set<String> uids) {
        node.fields().forEachRemaining(field -> {
            if ("datasource".equals(field.getKey()) && field.getValue().has("uid")) {
                uids.add(field.getValue().path("uid").asText());
            }
        });
        node.elements().forEachRemaining(child -> collectDatasourceUids(child, uids));
    }

    @Test
    void panelIdsAreUnique() {
        List<Integer> ids = new ArrayList<>();
        dashboard().path("panels").forEach(panel -> {
            ids.add(panel.path("id").asInt());
            panel.path("panels").forEach(nested -> ids.add(nested.path("id").asInt()));
        });
        assertEquals(ids.size(), new TreeSet<>(ids).size(), "panel ids " + ids);
    }

    /** promtool parses PromQL when it checks rules: each query becomes one recording rule. */
    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) {
        List<Query> queries = queries(dashboard());
        List<Map<String, String>> rules = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String expr = INTERVAL_VARIABLES.matcher(queries.get(i).expr()).replaceAll("5m");
            assertFalse(expr.contains("$"), queries.get(i) + " uses a variable promtool cannot stand in for");
            rules.add(Map.of("record", "dashboard_query_" + i, "expr", expr));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        RulesRepository.writeYaml(file, Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
        RulesProcess check = RulesProcess.run(dir, "promtool", "check", "rules", file.toString());
        assertTrue(check.succeeded(), check.report());
        assertTrue(check.output().contains(queries.size() + " rules found"), check.report());
    }

    @Test
    void everyQuerySelectsOnlyCatalogueMetrics() {
        RulesCatalogue catalogue = RulesCatalogue.load();
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Query query : queries(dashboard())) {
            Set<String> names = RulesPromQl.metricNames(query.expr());
            assertFalse(names.isEmpty(), query + " selects no series");
            names.removeIf(catalogue::allows);
            if (!names.isEmpty()) {
                unknown.computeIfAbsent(query.panel(), panel -> new TreeSet<>()).addAll(names);
            }
        }
        assertEquals(Map.of(), unknown, "series outside the metric catalogue, per panel");
    }

    @Test
    void everyRequiredTopicHasAPanel() {
        Set<String> shown = new TreeSet<>();
        queries(dashboard()).forEach(query -> shown.addAll(RulesPromQl.metricNames(query.expr())));
        Map<String, String> missing = new TreeMap<>();
        REQUIRED_TOPICS.forEach((topic, series) -> {
            if (!shown.contains(series)) {
                missing.put(topic, series);
            }
        });
        assertEquals(Map.of(), missing, "topics without a panel (topic = series expected)");
    }

    @Test
    void renderedConfigMapCarriesTheDashboardForTheGrafanaSidecar() {
        JsonNode configMap = RulesRepository.renderedObject("ConfigMap", "scoregen-grafana-dashboard");
        assertEquals(
                "1",
                configMap
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText());
        String shipped = configMap.path("data").path("scoregen.json").asText();
        assertFalse(shipped.isEmpty(), "ConfigMap has no data key scoregen.json");
        assertEquals(dashboard(), RulesRepository.parseJson(shipped));
    }
}
