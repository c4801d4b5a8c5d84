package dev.flotilla.e2e;

import dev.flotilla.testsupport.HttpsClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The histograms of a Prometheus {@code /metrics} page, so that a benchmark can take the server's own
 * latency distribution over one phase: scrape before and after, subtract. Percentiles are the upper
 * bound of the bucket they fall in, as {@code histogram_quantile} would report at most.
 */
final class Histograms {

    private static final Pattern BUCKET = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\\{(.*)} ([0-9.eE+-]+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    /** One bucket line: a metric, its labels without {@code le}, the bound, the cumulative count. */
    private record Bucket(String metric, Map<String, String> labels, double le, double count) {
    }

    record Summary(long count, double p50, double p99) {
    }

    private final List<Bucket> buckets;

    private Histograms(List<Bucket> buckets) {
        this.buckets = buckets;
    }

    static Histograms scrape(HttpsClient client) {
        var response = client.get("/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics: " + response.statusCode() + " " + response.body());
        }
        return parse(response.body());
    }

    static Histograms parse(String text) {
        List<Bucket> buckets = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher bucket = BUCKET.matcher(line.strip());
            if (!bucket.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher label = LABEL.matcher(bucket.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            String le = labels.remove("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            buckets.add(new Bucket(bucket.group(1), labels, bound, Double.parseDouble(bucket.group(3))));
        }
        return new Histograms(buckets);
    }

    /** This page's counts less an earlier page's: what happened between the two scrapes. */
    Histograms minus(Histograms earlier) {
        Map<Bucket, Double> before = new HashMap<>();
        for (Bucket bucket : earlier.buckets) {
            before.put(new Bucket(bucket.metric(), bucket.labels(), bucket.le(), 0), bucket.count());
        }
        List<Bucket> difference = new ArrayList<>();
        for (Bucket bucket : buckets) {
            double was = before.getOrDefault(new Bucket(bucket.metric(), bucket.labels(), bucket.le(), 0), 0.0);
            difference.add(new Bucket(bucket.metric(), bucket.labels(), bucket.le(), bucket.count() - was));
        }
        return new Histograms(difference);
    }

    /** The metric's distribution over every series whose labels include {@code labels}. */
    Summary summary(String metric, Map<String, String> labels) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        for (Bucket bucket : buckets) {
            if (bucket.metric().equals(metric) && bucket.labels().entrySet().containsAll(labels.entrySet())) {
                cumulative.merge(bucket.le(), bucket.count(), Double::sum);
            }
        }
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() == 0) {
            return new Summary(0, Double.NaN, Double.NaN);
        }
        double total = cumulative.lastEntry().getValue();
        return new Summary((long) total, bound(cumulative, total * 0.5), bound(cumulative, total * 0.99));
    }

    private static double bound(TreeMap<Double, Double> cumulative, double rank) {
        return cumulative.entrySet().stream().filter(e -> e.getValue() >= rank).findFirst().orElseThrow().getKey();
    }
}
