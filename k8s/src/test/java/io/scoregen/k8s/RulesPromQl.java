package io.scoregen.k8s;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. promtool checks the syntax; this only has to find the bare series
 * names, so it drops what cannot contain one (strings, label matchers, ranges, label lists of
 * by/without/on/ignoring/group_*) and keeps identifiers that are neither keywords nor calls.
 */
final class RulesPromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\w+");
    /** A number or duration (starts with a digit), or an identifier with what follows it. */
    private static final Pattern TOKENS = Pattern.compile("\\d[\\w.]*|([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "atan2",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan");

    private RulesPromQl() {}

    static Set<String> metricNames(String expr) {
        String text = expr;
        for (Pattern dropped : new Pattern[] {STRINGS, MATCHERS, RANGES, LABEL_LISTS, VARIABLES}) {
            text = dropped.matcher(text).replaceAll(" ");
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher token = TOKENS.matcher(text);
        while (token.find()) {
            String identifier = token.group(1);
            boolean call = token.group(2) != null;
            if (identifier != null && !call && !KEYWORDS.contains(identifier.toLowerCase(Locale.ROOT))) {
                names.add(identifier);
            }
        }
        return names;
    }
}
