package dev.flotilla.api.cron;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob schedule in the standard five-field cron syntax that upstream accepts (minute, hour,
 * day of month, month, day of week; {@code *}, {@code ?}, lists, ranges, steps, month and weekday
 * names, and the {@code @hourly}-style descriptors). When both day fields are restricted a time
 * matches either of them, as in Vixie cron.
 */
public final class CronSchedule {

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final int SEARCH_YEARS = 5;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronSchedule(String text, List<CronField.Parsed> fields) {
        this.text = text;
        this.minutes = fields.get(0).bits();
        this.hours = fields.get(1).bits();
        this.daysOfMonth = fields.get(2).bits();
        this.months = fields.get(3).bits();
        this.daysOfWeek = fields.get(4).bits();
        this.dayOfMonthStar = fields.get(2).star();
        this.dayOfWeekStar = fields.get(4).star();
    }

    /** Parses a schedule; the exception's message is the reason upstream would give. */
    public static CronSchedule parse(String schedule) {
        String trimmed = schedule == null ? "" : schedule.trim();
        if (trimmed.isEmpty()) {
            throw new CronSyntaxException("empty spec string");
        }
        String expanded = trimmed;
        if (trimmed.startsWith("@")) {
            expanded = DESCRIPTORS.get(trimmed);
            if (expanded == null) {
                throw new CronSyntaxException("unrecognized descriptor: " + trimmed);
            }
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new CronSyntaxException("expected exactly 5 fields, found " + parts.length + ": ["
                    + String.join(" ", parts) + "]");
        }
        return new CronSchedule(trimmed, List.of(
                CronField.MINUTE.parse(parts[0]),
                CronField.HOUR.parse(parts[1]),
                CronField.DAY_OF_MONTH.parse(parts[2]),
                CronField.MONTH.parse(parts[3]),
                CronField.DAY_OF_WEEK.parse(parts[4])));
    }

    /** The first time strictly after {@code after} (to the minute) that the schedule fires, if any within 5 years. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZonedDateTime time = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = time.plusYears(SEARCH_YEARS);
        while (time.isBefore(limit)) {
            if (!months.get(time.getMonthValue())) {
                time = time.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(time)) {
                time = time.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(time.getHour())) {
                time = time.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(time.getMinute())) {
                time = time.plusMinutes(1);
                continue;
            }
            return Optional.of(time);
        }
        return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime time) {
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (dayOfMonthStar || dayOfWeekStar) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return text;
    }
}
