package dev.flotilla.apiserver.crd;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/** The OpenAPI string formats upstream checks in custom resources; unknown formats accept anything. */
final class Formats {

    private static final Pattern UUID = Pattern.compile(
            "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Pattern HOSTNAME = Pattern.compile(
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern DURATION = Pattern.compile("^(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h|d|w))+$");

    private Formats() {
    }

    static boolean valid(String format, String value) {
        return switch (format) {
            case "date-time", "datetime" -> parses(() -> OffsetDateTime.parse(value));
            case "date" -> parses(() -> LocalDate.parse(value));
            case "uuid", "uuid3", "uuid4", "uuid5" -> UUID.matcher(value).matches();
            case "email" -> EMAIL.matcher(value).matches();
            case "hostname" -> value.length() <= 253 && HOSTNAME.matcher(value).matches();
            case "ipv4" -> IPV4.matcher(value).matches();
            case "ipv6" -> value.contains(":") && parses(() -> java.net.InetAddress.getByName("[" + value + "]"));
            case "byte" -> parses(() -> Base64.getDecoder().decode(value));
            case "duration" -> DURATION.matcher(value).matches();
            default -> true;
        };
    }

    private interface Parse {
        Object run() throws Exception;
    }

    private static boolean parses(Parse parse) {
        try {
            parse.run();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
