package dev.flotilla.protobuf;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Text forms of metav1.Time (RFC 3339 in UTC, whole seconds: {@code 2024-01-02T03:04:05Z}) and
 * metav1.MicroTime (six fractional digits, always: {@code 2024-01-02T03:04:05.000000Z}), as Go's
 * MarshalJSON writes them; protobuf carries seconds and nanoseconds since the epoch instead.
 */
final class KubeTimes {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private KubeTimes() {}

  /** metav1.Time: sub-second precision is dropped, as Kubernetes does. */
  static String time(long seconds) {
    return TIME.format(Instant.ofEpochSecond(seconds));
  }

  /** metav1.MicroTime: nanoseconds truncated to microseconds, as Kubernetes does. */
  static String microTime(long seconds, int nanos) {
    return MICRO_TIME.format(Instant.ofEpochSecond(seconds, nanos - nanos % 1000));
  }

  /** Parses RFC 3339 (any offset, optional fraction) as Go's time.Parse(RFC3339) accepts it. */
  static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid RFC 3339 time \"" + text + "\"", e);
    }
  }
}
