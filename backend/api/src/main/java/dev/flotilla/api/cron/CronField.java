package dev.flotilla.api.cron;

import java.util.BitSet;
import java.util.List;

/** One of the five cron fields: its bounds, its names, and how a field expression becomes a set of values. */
enum CronField {
    MINUTE(0, 59, List.of()),
    HOUR(0, 23, List.of()),
    DAY_OF_MONTH(1, 31, List.of()),
    MONTH(1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    DAY_OF_WEEK(0, 6, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat"));

    /** The values a field allows, and whether it was an unrestricted {@code *} or {@code ?}. */
    record Parsed(BitSet bits, boolean star) {
    }

    private final int min;
    private final int max;
    private final List<String> names;

    CronField(int min, int max, List<String> names) {
        this.min = min;
        this.max = max;
        this.names = names;
    }

    Parsed parse(String expression) {
        BitSet bits = new BitSet(max + 1);
        boolean star = false;
        for (String range : expression.split(",", -1)) {
            star |= range.equals("*") || range.equals("?");
            addRange(range, bits);
        }
        return new Parsed(bits, star);
    }

    private void addRange(String expression, BitSet bits) {
        String[] stepParts = expression.split("/", -1);
        if (stepParts.length > 2) {
            throw new CronSyntaxException("too many slashes: " + expression);
        }
        String[] bounds = stepParts[0].split("-", -1);
        if (bounds.length > 2) {
            throw new CronSyntaxException("too many hyphens: " + expression);
        }
        int start;
        int end;
        boolean all = bounds[0].equals("*") || bounds[0].equals("?");
        if (all) {
            start = min;
            end = max;
        } else {
            start = value(bounds[0]);
            end = bounds.length == 2 ? value(bounds[1]) : start;
        }
        int step = 1;
        if (stepParts.length == 2) {
            step = number(stepParts[1]);
            if (step <= 0) {
                throw new CronSyntaxException("step of range should be a positive number: " + expression);
            }
            if (!all && bounds.length == 1) {
                end = max;
            }
        }
        if (start < min) {
            throw new CronSyntaxException("beginning of range (" + start + ") below minimum (" + min + "): "
                    + expression);
        }
        if (end > max) {
            throw new CronSyntaxException("end of range (" + end + ") above maximum (" + max + "): " + expression);
        }
        if (start > end) {
            throw new CronSyntaxException("beginning of range (" + start + ") beyond end of range (" + end + "): "
                    + expression);
        }
        for (int value = start; value <= end; value += step) {
            bits.set(value);
        }
    }

    private int value(String text) {
        int index = names.indexOf(text.toLowerCase(java.util.Locale.ROOT));
        if (index >= 0) {
            return index + min;
        }
        return number(text);
    }

    private static int number(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw new CronSyntaxException("negative number (" + value + ") not allowed: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CronSyntaxException("failed to parse int from " + text + ": strconv.Atoi: parsing \"" + text
                    + "\": invalid syntax");
        }
    }
}
