package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The alert and recording rules of infra/prometheus/alerts.yml: valid and unit-tested by the real promtool, shipped
 * unchanged as the PrometheusRule of k8s/base/monitoring, built only from catalogue metrics and the contract's scrape
 * jobs, and complete.
 */
final class AlertRulesTest {

    /** The alerts the operations issue asks for, and the gateway's own. */
    private static final Set<String> REQUIRED_ALERTS = Set.of(
            "ScoregenWorkerDown",
            "ScoregenConsumerLagGrowing",
            "ScoregenJobFailureRatio",
            "ScoregenTrainingLossNotFinite",
            "ScoregenTrainingLossExploding",
            "ScoregenTaskStalled",
            "ScoregenGatewayDown",
            "ScoregenGatewayRejectingRequests");
    /** The scrape job names of the contract, the same locally and (relabelled) in Kubernetes. */
    private static final Set<String> SCRAPE_JOBS =
            Set.of("scoregen-gateway", "scoregen-worker-train", "scoregen-worker-sample");

    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final String RUNBOOK = "https://github.com/scoregen/scoregen/blob/main/docs/operations.md#";
    private static final Pattern JOB_MATCHER = Pattern.compile("\\bjob\\s*(=~|!~|=|!=)\\s*\"([^\"]*)\"");

    private record Rule(String group, JsonNode node) {
        boolean alert() {
            return node.has("alert");
        }

        String name() {
            return alert() ? node.path("alert").asText() : node.path("record").asText();
        }

        String expr() {
            return node.path("expr").asText();
        }
    }

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : RulesRepository.yaml(RulesRepository.ALERTS).path("groups")) {
            group.path("rules")
                    .forEach(rule -> rules.add(new Rule(group.path("name").asText(), rule)));
        }
        return rules;
    }

    private static Set<String> alertNames() {
        return rules().stream().filter(Rule::alert).map(Rule::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void promtoolAcceptsTheRules() {
        RulesProcess check =
                RulesProcess.run(RulesRepository.root(), "promtool", "check", "rules", RulesRepository.ALERTS);
        assertTrue(check.succeeded(), check.report());
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() {
        RulesProcess test =
                RulesProcess.run(RulesRepository.root(), "promtool", "test", "rules", RulesRepository.ALERT_TESTS);
        assertTrue(test.succeeded(), test.report());
    }

    @Test
    void renderedPrometheusRuleCarriesExactlyTheGroupsOfAlertsYml() {
        JsonNode rule = RulesRepository.renderedObject("PrometheusRule", "scoregen");
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        JsonNode expected = RulesRepository.yaml(RulesRepository.ALERTS).path("groups");
        JsonNode actual = rule.path("spec").path("groups");
        // Rule by rule first, so a difference is reported by its name rather than as two dumps of everything.
        Map<String, JsonNode> expectedRules = rulesByName(expected);
        Map<String, JsonNode> actualRules = rulesByName(actual);
        assertEquals(
                List.copyOf(expectedRules.keySet()), List.copyOf(actualRules.keySet()), "groups and rules, in order");
        expectedRules.forEach((name, node) -> assertEquals(node, actualRules.get(name), "PrometheusRule " + name));
        assertEquals(expected, actual, "spec.groups of the PrometheusRule differ from " + RulesRepository.ALERTS);
    }

    private static Map<String, JsonNode> rulesByName(JsonNode groups) {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                rules.put(group.path("name").asText() + "/" + new Rule("", rule).name(), rule);
            }
        }
        return rules;
    }

    @Test
    void rulesSelectOnlyCatalogueMetricsAndTheirOwnRecordings() {
        RulesCatalogue catalogue = RulesCatalogue.load();
        Set<String> recorded =
                rules().stream().filter(r -> !r.alert()).map(Rule::name).collect(Collectors.toSet());
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Rule rule : rules()) {
            Set<String> names = RulesPromQl.metricNames(rule.expr());
            assertFalse(names.isEmpty(), rule.name() + " selects no series: " + rule.expr());
            names.removeIf(name -> catalogue.allows(name) || recorded.contains(name));
            if (!names.isEmpty()) {
                unknown.put(rule.name(), names);
            }
        }
        assertEquals(Map.of(), unknown, "series outside the metric catalogue, per rule");
    }

    @Test
    void rulesMatchOnlyTheContractsScrapeJobs() {
        Set<String> jobs = new TreeSet<>();
        for (Rule rule : rules()) {
            Matcher matcher = JOB_MATCHER.matcher(rule.expr());
            while (matcher.find()) {
                jobs.addAll(List.of(matcher.group(2).split("\\|")));
            }
        }
        assertEquals(SCRAPE_JOBS, jobs, "job names in the rules' selectors");
    }

    @Test
    void everyRequiredAlertExists() {
        Set<String> missing = new TreeSet<>(REQUIRED_ALERTS);
        missing.removeAll(alertNames());
        assertEquals(Set.of(), missing, "alerts missing from " + RulesRepository.ALERTS);
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndItsRunbook() {
        for (Rule rule : rules().stream().filter(Rule::alert).toList()) {
            JsonNode labels = rule.node().path("labels");
            JsonNode annotations = rule.node().path("annotations");
            assertTrue(SEVERITIES.contains(labels.path("severity").asText()), rule.name() + " severity: " + labels);
            assertFalse(annotations.path("summary").asText().isBlank(), rule.name() + " has no summary");
            assertFalse(annotations.path("description").asText().isBlank(), rule.name() + " has no description");
            assertEquals(
                    RUNBOOK + rule.name().toLowerCase(Locale.ROOT),
                    annotations.path("runbook_url").asText(),
                    rule.name() + " runbook_url");
        }
    }

    /** Each alert is unit-tested both firing and staying quiet, so a rule that always or never fires fails. */
    @Test
    void everyAlertIsUnitTestedFiringAndQuiet() {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : RulesRepository.yaml(RulesRepository.ALERT_TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                boolean fires = check.path("exp_alerts").size() > 0;
                (fires ? firing : quiet).add(check.path("alertname").asText());
            }
        }
        assertEquals(alertNames(), firing, "alerts with a unit test where they fire");
        assertEquals(alertNames(), quiet, "alerts with a unit test where they stay quiet");
    }

    /** The unit tests load the rules file this class checks, not a copy. */
    @Test
    void unitTestsLoadAlertsYml() {
        JsonNode ruleFiles = RulesRepository.yaml(RulesRepository.ALERT_TESTS).path("rule_files");
        List<String> files = StreamSupport.stream(ruleFiles.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
        assertEquals(List.of("alerts.yml"), files);
    }
}
