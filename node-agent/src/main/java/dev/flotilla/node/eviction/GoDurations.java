package dev.flotilla.node.eviction;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Go's {@code time.ParseDuration} reads them: {@code 5m}, {@code 1m30s}, {@code 500ms}, {@code 0}. */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {
    }

    public static Duration parse(String text) {
        String value = text.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher parts = PART.matcher(value);
        long nanos = 0;
        int end = 0;
        while (parts.find()) {
            if (parts.start() != end) {
                break;
            }
            double amount = Double.parseDouble(parts.group(1));
            long unit = switch (parts.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += Math.round(amount * unit);
            end = parts.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }

    /** Go's way of printing a duration, for messages: {@code 5m0s}, {@code 30s}, {@code 1h0m0s}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.isZero() ? "0s" : duration.toMillis() + "ms";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + s + "s";
    }
}
