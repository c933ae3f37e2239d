package io.tarn.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests (the Prometheus Java
 * client ships writers only). It parses every line by the format's grammar and checks what a scraper
 * relies on: one TYPE per family, declared before its samples; a family's samples in one group;
 * no duplicate series; histogram buckets with {@code le}, cumulative, ending in {@code +Inf}, equal
 * to {@code _count}. Throws {@link IllegalArgumentException} naming the line on any violation.
 */
final class PrometheusTextCheck {

    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + METRIC_NAME + ")(?: (.*))?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + METRIC_NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:Inf|NaN|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusTextCheck parse(String text) {
        PrometheusTextCheck out = new PrometheusTextCheck();
        out.read(text);
        out.checkHistograms();
        return out;
    }

    /** Samples of {@code name} whose labels include all of {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name.equals(name)
                && s.labels.entrySet().containsAll(labels.entrySet())).toList();
    }

    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + labels);
        }
        return found.get(0).value;
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with \\n");
        }
        Set<String> helped = new HashSet<>();
        Set<String> finishedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        String currentFamily = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    Matcher help = HELP.matcher(line);
                    Matcher type = TYPE.matcher(line);
                    if (help.matches()) {
                        require(helped.add(help.group(1)), "second HELP for " + help.group(1));
                    } else if (type.matches()) {
                        String family = type.group(1);
                        require(!types.containsKey(family), "second TYPE for " + family);
                        require(!finishedFamilies.contains(family) && !family.equals(currentFamily),
                                "TYPE after samples of " + family);
                        types.put(family, type.group(2));
                    } else {
                        require(!line.startsWith("# HELP") && !line.startsWith("# TYPE"), "malformed");
                    }
                    continue;
                }
                Sample s = sample(line);
                String family = familyOf(s.name);
                if (!family.equals(currentFamily)) {
                    require(!finishedFamilies.contains(family), "samples of " + family + " are not in one group");
                    if (currentFamily != null) {
                        finishedFamilies.add(currentFamily);
                    }
                    currentFamily = family;
                }
                require(series.add(s.name + new TreeMap<>(s.labels)), "duplicate series");
                samples.add(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
    }

    /** The declared family a sample belongs to (histogram and summary samples carry suffixes). */
    private String familyOf(String name) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Sample sample(String line) {
        int i = 0;
        Matcher name = METRIC_NAME.matcher(line);
        require(name.lookingAt(), "no metric name");
        i = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(i, line.length());
                require(label.lookingAt(), "bad label name");
                String key = label.group();
                i = label.end();
                require(line.startsWith("=\"", i), "expected =\"");
                i += 2;
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                i++;
                require(labels.put(key, value.toString()) == null, "label " + key + " twice");
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    require(line.charAt(i) == '}', "expected , or }");
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', "expected a space before the value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        require(rest.length == 1 || rest.length == 2, "expected value [timestamp]");
        require(FLOAT.matcher(rest[0]).matches(), "bad value " + rest[0]);
        if (rest.length == 2) {
            require(rest[1].matches("-?\\d+"), "bad timestamp " + rest[1]);
        }
        String v = rest[0].replace("Inf", "Infinity");
        return new Sample(name.group(), labels, Double.parseDouble(v));
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            Map<Map<String, String>, Double> counts = new HashMap<>();
            for (Sample s : samples) {
                if (s.name.equals(family + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(s.labels);
                    require(rest.remove("le") != null, family + "_bucket without le");
                    buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
                } else if (s.name.equals(family + "_count")) {
                    counts.put(new TreeMap<>(s.labels), s.value);
                }
            }
            require(buckets.keySet().equals(counts.keySet()), family + ": bucket and count series differ");
            buckets.forEach((labels, list) -> {
                double previousLe = Double.NEGATIVE_INFINITY;
                double previous = 0;
                for (Sample b : list) {
                    double le = Double.parseDouble(b.labels.get("le").replace("Inf", "Infinity"));
                    require(le > previousLe, family + labels + ": le not increasing");
                    require(b.value >= previous, family + labels + ": buckets not cumulative");
                    previousLe = le;
                    previous = b.value;
                }
                require(previousLe == Double.POSITIVE_INFINITY, family + labels + ": no +Inf bucket");
                require(previous == counts.get(labels), family + labels + ": +Inf bucket != _count");
            });
        });
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
