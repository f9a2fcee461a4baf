package io.lb4j.okhttp.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses a {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * The delay the header asks for, or -1 when it is absent or malformed (a malformed header is
   * ignored, as if absent). A date in the past means no delay.
   */
  public static long delayNanos(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(value)).toNanos();
      } catch (NumberFormatException | ArithmeticException e) {
        return Long.MAX_VALUE; // a number too large to represent: longer than any cap
      }
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, Duration.between(clock.instant(), at.toInstant()).toNanos());
    } catch (DateTimeParseException | ArithmeticException e) {
      return -1;
    }
  }
}
