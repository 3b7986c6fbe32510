package com.bankaccounts.api.connectionintent;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * One period of an enduring payment consent: {@code start} inclusive, {@code end} exclusive. Periods follow one
 * another from the consent's approval, counted in New Zealand time (Pacific/Auckland), so that a daily limit resets
 * at the hour of approval in local time across daylight-saving changes, and a monthly one on the same day of the
 * month (or the month's last day).
 */
public record ConsentPeriodWindow(Instant start, Instant end) {

    public static final ZoneId ZONE = ZoneId.of("Pacific/Auckland");

    /** The period of the consent that holds {@code at}; {@code at} is not before {@code approvedAt}. */
    public static ConsentPeriodWindow of(ConsentPeriod period, Instant approvedAt, Instant at) {
        ZonedDateTime anchor = approvedAt.atZone(ZONE);
        ZonedDateTime now = at.atZone(ZONE);
        long n = Math.max(0, unit(period).between(anchor, now) / length(period));
        while (n > 0 && startOf(period, anchor, n).isAfter(now)) {
            n--;
        }
        while (!startOf(period, anchor, n + 1).isAfter(now)) {
            n++;
        }
        return new ConsentPeriodWindow(startOf(period, anchor, n).toInstant(),
                startOf(period, anchor, n + 1).toInstant());
    }

    private static ZonedDateTime startOf(ConsentPeriod period, ZonedDateTime anchor, long n) {
        return anchor.plus(n * length(period), unit(period));
    }

    private static ChronoUnit unit(ConsentPeriod period) {
        return switch (period) {
            case DAILY, WEEKLY, FORTNIGHTLY -> ChronoUnit.DAYS;
            case MONTHLY, YEARLY -> ChronoUnit.MONTHS;
        };
    }

    private static long length(ConsentPeriod period) {
        return switch (period) {
            case DAILY -> 1;
            case WEEKLY -> 7;
            case FORTNIGHTLY -> 14;
            case MONTHLY -> 1;
            case YEARLY -> 12;
        };
    }
}
