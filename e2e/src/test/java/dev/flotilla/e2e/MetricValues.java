package dev.flotilla.e2e;

import dev.flotilla.testsupport.HttpsClient;

/** Plain samples of a Prometheus {@code /metrics} page: the sum of a metric's lines over all label sets. */
final class MetricValues {

    private final String text;

    private MetricValues(String text) {
        this.text = text;
    }

    static MetricValues scrape(HttpsClient client) {
        var response = client.get("/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics: " + response.statusCode() + " " + response.body());
        }
        return new MetricValues(response.body());
    }

    /** The metric's value summed over its label sets; 0 when it is not exported. */
    double value(String metric) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
