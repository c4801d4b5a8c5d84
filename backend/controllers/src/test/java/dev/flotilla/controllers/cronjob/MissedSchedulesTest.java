package dev.flotilla.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.cron.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MissedSchedulesTest {

    private static final Instant CREATED = Instant.parse("2026-01-05T10:02:30Z");

    @Test
    void nothingMissedBeforeTheFirstStartTime() {
        MissedSchedules missed = MissedSchedules.of(CronSchedule.parse("*/5 * * * *"), ZoneOffset.UTC, null, CREATED,
                Instant.parse("2026-01-05T10:04:59Z"));
        assertThat(missed.mostRecent()).isEmpty();
        assertThat(missed.missed()).isZero();
        assertThat(missed.next().orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-05T10:05:00Z"));
    }

    @Test
    void theMostRecentOfSeveralMissedTimesIsTheOneToStart() {
        MissedSchedules missed = MissedSchedules.of(CronSchedule.parse("*/5 * * * *"), ZoneOffset.UTC, null, CREATED,
                Instant.parse("2026-01-05T10:21:00Z"));
        assertThat(missed.missed()).isEqualTo(4);
        assertThat(missed.mostRecent().orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-05T10:20:00Z"));
        assertThat(missed.next().orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-05T10:25:00Z"));
    }

    @Test
    void countsFromTheLastScheduleTimeAndBeyondOneHundred() {
        MissedSchedules missed = MissedSchedules.of(CronSchedule.parse("* * * * *"), ZoneOffset.UTC,
                Instant.parse("2026-01-05T10:00:00Z"), CREATED, Instant.parse("2026-01-05T13:20:30Z"));
        assertThat(missed.missed()).isEqualTo(200).isGreaterThan(MissedSchedules.TOO_MANY);
        assertThat(missed.mostRecent().orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-05T13:20:00Z"));
    }

    @Test
    void scheduleIsReadInTheTimeZone() {
        MissedSchedules missed = MissedSchedules.of(CronSchedule.parse("0 9 * * *"), ZoneId.of("Europe/Berlin"), null, CREATED,
                Instant.parse("2026-01-06T08:30:00Z"));
        assertThat(missed.mostRecent().orElseThrow().toInstant()).isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    }
}
