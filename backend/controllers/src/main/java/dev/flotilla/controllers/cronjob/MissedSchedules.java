package dev.flotilla.controllers.cronjob;

import dev.flotilla.api.cron.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Which start times of a schedule have passed unrun: those after the last scheduled time (or the
 * CronJob's creation) up to now. Only the most recent may start, as upstream does (and only if
 * startingDeadlineSeconds has not passed since it); their number feeds the "too many missed start
 * times" warning.
 */
record MissedSchedules(Optional<ZonedDateTime> mostRecent, long missed, Optional<ZonedDateTime> next) {

    /** Upstream warns once more than this many start times were missed. */
    static final int TOO_MANY = 100;

    static MissedSchedules of(CronSchedule schedule, ZoneId zone, Instant lastScheduled, Instant created, Instant now) {
        Instant earliest = lastScheduled != null ? lastScheduled : created;
        ZonedDateTime nowInZone = now.atZone(zone);
        ZonedDateTime mostRecent = null;
        long missed = 0;
        Optional<ZonedDateTime> time = schedule.next(earliest.atZone(zone));
        while (time.isPresent() && !time.get().isAfter(nowInZone)) {
            mostRecent = time.get();
            missed++;
            time = schedule.next(time.get());
        }
        return new MissedSchedules(Optional.ofNullable(mostRecent), missed, time);
    }
}
