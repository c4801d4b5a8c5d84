package dev.flotilla.api.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZonedDateTime NOON = ZonedDateTime.of(2026, 11, 22, 12, 0, 30, 0, ZoneId.of("UTC"));

    @Test
    void everyMinuteFiresAtTheNextWholeMinute() {
        assertThat(CronSchedule.parse("* * * * *").next(NOON)).hasValue(NOON.withSecond(0).plusMinutes(1));
    }

    @Test
    void stepsRangesListsAndNames() {
        assertThat(CronSchedule.parse("*/15 * * * *").next(NOON)).hasValue(at(22, 12, 15));
        assertThat(CronSchedule.parse("5-10/5 9,13 * * *").next(NOON)).hasValue(at(22, 13, 5));
        assertThat(CronSchedule.parse("0 9 * * MON-FRI").next(NOON)).hasValue(at(23, 9, 0));
        assertThat(CronSchedule.parse("30 8 1 jan ?").next(NOON))
                .hasValue(ZonedDateTime.of(2027, 1, 1, 8, 30, 0, 0, ZoneId.of("UTC")));
        assertThat(CronSchedule.parse("10/20 * * * *").next(NOON)).hasValue(at(22, 12, 10));
    }

    @Test
    void descriptorsExpandToTheirSchedules() {
        assertThat(CronSchedule.parse("@hourly").next(NOON)).hasValue(at(22, 13, 0));
        assertThat(CronSchedule.parse("@daily").next(NOON)).hasValue(at(23, 0, 0));
        assertThat(CronSchedule.parse("@weekly").next(NOON)).hasValue(at(29, 0, 0));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEither() {
        // 2026-11-22 is a Sunday: "on the 25th or on Mondays" fires Monday the 23rd first.
        assertThat(CronSchedule.parse("0 0 25 * 1").next(NOON)).hasValue(at(23, 0, 0));
        assertThat(CronSchedule.parse("0 0 25 * *").next(NOON)).hasValue(at(25, 0, 0));
    }

    @Test
    void impossibleDatesNeverFire() {
        assertThat(CronSchedule.parse("0 0 30 2 *").next(NOON)).isEmpty();
    }

    @Test
    void timeZonesAreHonoured() {
        ZonedDateTime tokyo = NOON.withZoneSameInstant(ZoneId.of("Asia/Tokyo"));
        assertThat(CronSchedule.parse("0 0 * * *").next(tokyo).orElseThrow().toInstant())
                .isEqualTo(at(22, 15, 0).toInstant());
    }

    @Test
    void badSchedulesSayWhatIsWrongInUpstreamsWords() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *")).hasMessage("expected exactly 5 fields, found 3: [* * *]");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
                .hasMessage("end of range (61) above maximum (59): 61");
        assertThatThrownBy(() -> CronSchedule.parse("* * 0 * *"))
                .hasMessage("beginning of range (0) below minimum (1): 0");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *"))
                .hasMessage("step of range should be a positive number: */0");
        assertThatThrownBy(() -> CronSchedule.parse("x * * * *"))
                .hasMessageStartingWith("failed to parse int from x");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessage("unrecognized descriptor: @fortnightly");
        assertThatThrownBy(() -> CronSchedule.parse("1/2/3 * * * *")).hasMessage("too many slashes: 1/2/3");
    }

    private static ZonedDateTime at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, ZoneId.of("UTC"));
    }
}
