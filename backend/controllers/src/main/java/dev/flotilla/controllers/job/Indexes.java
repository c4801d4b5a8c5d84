package dev.flotilla.controllers.job;

import java.util.Set;
import java.util.TreeSet;

/** {@code status.completedIndexes}: ascending indexes with runs written as ranges, e.g. {@code 1,3-5,7}. */
final class Indexes {

    private Indexes() {
    }

    static Set<Integer> parse(String text) {
        Set<Integer> indexes = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            for (int i = from; i <= to; i++) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    static String format(Set<Integer> indexes) {
        StringBuilder text = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int index : new TreeSet<>(indexes)) {
            if (previous != null && index == previous + 1) {
                previous = index;
                continue;
            }
            append(text, start, previous);
            start = index;
            previous = index;
        }
        append(text, start, previous);
        return text.toString();
    }

    private static void append(StringBuilder text, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(start);
        if (!end.equals(start)) {
            text.append('-').append(end);
        }
    }
}
