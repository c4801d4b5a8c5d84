package dev.flotilla.protobuf;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Go's time.Duration text form ({@code 1h2m3.5s}, {@code 150ms}, {@code 0s}), which is how
 * metav1.Duration appears in Kubernetes JSON while protobuf carries plain nanoseconds. Written to
 * match Go's Duration.String and ParseDuration exactly, units and trailing-zero rules included.
 */
final class GoDuration {

  private static final long MICROSECOND = 1_000L;
  private static final long MILLISECOND = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L, "us", MICROSECOND, "\u00b5s", MICROSECOND, "\u03bcs", MICROSECOND,
      "ms", MILLISECOND, "s", SECOND, "m", 60 * SECOND, "h", 3600 * SECOND);

  private GoDuration() {}

  /** Go's Duration.String for a number of nanoseconds. */
  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    // Unsigned magnitude: Long.MIN_VALUE negates to itself, read as unsigned it is 2^63.
    long magnitude = negative ? -nanos : nanos;
    StringBuilder text = new StringBuilder();
    if (Long.compareUnsigned(magnitude, SECOND) < 0) {
      String unit;
      int precision;
      if (magnitude < MICROSECOND) {
        unit = "ns";
        precision = 0;
      } else if (magnitude < MILLISECOND) {
        unit = "\u00b5s";
        precision = 3;
      } else {
        unit = "ms";
        precision = 6;
      }
      text.append(fraction(magnitude, precision)).append(unit);
    } else {
      long seconds = Long.divideUnsigned(magnitude, SECOND);
      long rest = Long.remainderUnsigned(magnitude, SECOND);
      String secondsText = seconds % 60 + fraction(rest, 9).substring(1) + "s";
      long minutes = seconds / 60;
      if (minutes > 0) {
        long hours = minutes / 60;
        secondsText = minutes % 60 + "m" + secondsText;
        if (hours > 0) {
          secondsText = hours + "h" + secondsText;
        }
      }
      text.append(secondsText);
    }
    return negative ? "-" + text : text.toString();
  }

  /**
   * {@code value / 10^precision} in decimal, the fraction's trailing zeros (and a bare point)
   * dropped; for seconds the caller passes the sub-second rest and keeps what follows the "0".
   */
  private static String fraction(long value, int precision) {
    BigDecimal decimal = new BigDecimal(Long.toUnsignedString(value)).movePointLeft(precision);
    return decimal.stripTrailingZeros().toPlainString();
  }

  /** Go's ParseDuration: signed sequence of decimal numbers, each with a unit, e.g. "-1h30m". */
  static long parse(String text) {
    String rest = text;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return 0;
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int start = i;
      while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
        i++;
      }
      String number = rest.substring(start, unitStart);
      Long unit = UNITS.get(rest.substring(unitStart, i));
      if (number.isEmpty() || number.equals(".") || unit == null) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    BigDecimal nanos = negative ? total.negate() : total;
    try {
      return nanos.toBigInteger().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range", e);
    }
  }
}
