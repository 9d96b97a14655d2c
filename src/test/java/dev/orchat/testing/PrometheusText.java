package dev.orchat.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests of the admin port's {@code /prometheus}.
 * The Java client ships writers but no parser and {@code promtool} is not installed on the build machines, so this
 * checks what Prometheus' own parser insists on and fails on the first violation: name and label syntax, label-value
 * escapes, float syntax, one {@code TYPE} per family before its samples, contiguous families, sample names that
 * belong to their family's type, no duplicate series, and cumulative histogram buckets ending in {@code +Inf}.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(Inf|NaN|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, List<Sample> samples) {
    }

    private PrometheusText() {
    }

    /** All families by name; throws {@link IllegalArgumentException} naming the line of the first violation. */
    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> series = new java.util.HashSet<>();
        Family current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 3 && parts[1].equals("TYPE")) {
                        require(NAME.matcher(parts[2]).matches(), "bad metric name");
                        require(parts.length == 4 && TYPES.contains(parts[3]), "bad type");
                        require(!families.containsKey(parts[2]), "second TYPE for " + parts[2]);
                        current = new Family(parts[2], parts[3], new ArrayList<>());
                        families.put(parts[2], current);
                    } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                        require(NAME.matcher(parts[2]).matches(), "bad metric name in HELP");
                        require(parts.length < 4 || !parts[3].matches(".*\\\\[^\\\\n].*"), "bad escape in HELP");
                    }
                    continue;
                }
                Sample sample = sample(line);
                require(current != null && belongs(sample.name(), current), "sample outside its family's TYPE block");
                require(series.add(sample.name() + sample.labels()), "duplicate series");
                current.samples().add(sample);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + abbreviate(line), e);
            }
        }
        families.values().stream().filter(f -> f.type().equals("histogram")).forEach(PrometheusText::checkBuckets);
        return families;
    }

    /** The sum of the samples named {@code name} whose labels include every entry of {@code labels}. */
    public static double sum(Map<String, Family> families, String name, Map<String, String> labels) {
        return families.values().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    public static List<Sample> samples(Map<String, Family> families, String name) {
        return families.values().stream().flatMap(f -> f.samples().stream()).filter(s -> s.name().equals(name)).toList();
    }

    private static boolean belongs(String sample, Family family) {
        if (sample.equals(family.name())) {
            return !family.type().equals("histogram");
        }
        return switch (family.type()) {
            case "histogram" -> sample.equals(family.name() + "_bucket") || sample.equals(family.name() + "_sum")
                    || sample.equals(family.name() + "_count");
            case "summary" -> sample.equals(family.name() + "_sum") || sample.equals(family.name() + "_count");
            default -> false;
        };
    }

    private static Sample sample(String line) {
        Matcher name = NAME.matcher(line);
        require(name.lookingAt(), "bad metric name");
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                int eq = line.indexOf('=', at);
                require(eq > at, "label without value");
                String label = line.substring(at, eq);
                require(LABEL.matcher(label).matches() && !label.startsWith("__"), "bad label name '" + label + "'");
                require(line.charAt(eq + 1) == '"', "unquoted label value");
                StringBuilder value = new StringBuilder();
                int i = eq + 2;
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        require(next == '\\' || next == '"' || next == 'n', "bad escape in label value");
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, "repeated label " + label);
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        require(at < line.length() && line.charAt(at) == ' ', "no space before the value");
        String[] rest = line.substring(at + 1).split(" ");
        require(rest.length == 1 || rest.length == 2 && rest[1].matches("-?\\d+"), "bad value or timestamp");
        require(FLOAT.matcher(rest[0]).matches(), "bad value '" + rest[0] + "'");
        return new Sample(line.substring(0, name.end()), labels, Double.parseDouble(rest[0].replace("Inf", "Infinity")));
    }

    private static void checkBuckets(Family family) {
        Map<Map<String, String>, List<Sample>> byLabels = new LinkedHashMap<>();
        for (Sample s : family.samples()) {
            if (s.name().endsWith("_bucket")) {
                Map<String, String> rest = new LinkedHashMap<>(s.labels());
                rest.remove("le");
                byLabels.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            }
        }
        byLabels.forEach((labels, buckets) -> {
            double previous = -1;
            for (Sample b : buckets) {
                require(b.labels().containsKey("le"), family.name() + " bucket without le");
                require(b.value() >= previous, family.name() + " buckets not cumulative " + labels);
                previous = b.value();
            }
            require("+Inf".equals(buckets.get(buckets.size() - 1).labels().get("le")), family.name() + " without +Inf bucket");
            double count = family.samples().stream().filter(s -> s.name().equals(family.name() + "_count")
                    && s.labels().equals(labels)).mapToDouble(Sample::value).findFirst().orElse(-1);
            require(count == previous, family.name() + " _count differs from the +Inf bucket " + labels);
        });
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
