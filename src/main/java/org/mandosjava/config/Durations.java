package org.mandosjava.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's duration syntax ({@code string_to_delta}, spec §2.4): first the RFC 3339 Appendix A
 * subset accepted by Mandos's token chain, else the legacy space-separated {@code 5m 30s} form.
 * <p>
 * RFC 3339 form: {@code P} then {@code nY nM nD} (each may only be followed by the next, or the end),
 * {@code T nH nM nS} (likewise), or {@code nW} alone; {@code T} only right after {@code P} or
 * {@code nD}. Case-sensitive, integers only. Y = 52 weeks, M(onth) = 4 weeks.
 * Legacy form: whitespace-separated {@code <int><s|m|h|d|w>} tokens, summed; the integer is read
 * like Python's {@code int()} (sign, {@code _} between digits, any script's digits); "" gives 0.
 * Like Python's {@code timedelta}, results beyond ±999999999 days are errors.
 */
public final class Durations {
    private static final BigInteger MICROS_PER_SECOND = BigInteger.valueOf(1_000_000);
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY;
    /** timedelta.max / timedelta.min, in microseconds. */
    private static final BigInteger MAX_MICROS = BigInteger.valueOf(999_999_999L * SECONDS_PER_DAY + 86_399)
            .multiply(MICROS_PER_SECOND).add(BigInteger.valueOf(999_999));
    private static final BigInteger MIN_MICROS = BigInteger.valueOf(-999_999_999L * SECONDS_PER_DAY)
            .multiply(MICROS_PER_SECOND);

    /**
     * The longest a client's duration setting (timeout, extended_timeout, interval, approval_delay,
     * approval_duration) may be, in clients.conf and over D-Bus. The original schedules its timers
     * in 32-bit milliseconds (at most 49 days 17:02:47) and fails when a value is longer; 49 days
     * keeps every value within that and far inside what our timers and timestamps represent.
     */
    public static final Duration MAX_SETTING = Duration.ofDays(49);

    private Durations() {}

    /**
     * Checks a client's duration setting: from zero to {@link #MAX_SETTING}.
     *
     * @param shown the value as the user wrote it, for the message
     * @return {@code d}
     * @throws IllegalArgumentException naming the problem when it is negative or longer
     */
    public static Duration checkSetting(Duration d, String shown) {
        if (d.isNegative()) throw new IllegalArgumentException("a duration cannot be negative: " + shown);
        if (d.compareTo(MAX_SETTING) > 0) {
            throw new IllegalArgumentException("a duration can be at most " + MAX_SETTING.toDays() + " days (P7W): "
                    + shown);
        }
        return d;
    }

    /** The RFC 3339 tokens; {@link #END} is the end of the string. */
    private enum Token {
        P('P', 0), YEAR('Y', 52 * SECONDS_PER_WEEK), MONTH('M', 4 * SECONDS_PER_WEEK),
        DAY('D', SECONDS_PER_DAY), T('T', 0), HOUR('H', 3600), MINUTE('M', 60), SECOND('S', 1),
        WEEK('W', SECONDS_PER_WEEK), END('\0', 0);

        final char letter;
        final long seconds;

        Token(char letter, long seconds) {
            this.letter = letter;
            this.seconds = seconds;
        }

        boolean hasNumber() {
            return seconds != 0;
        }
    }

    /** Which tokens may follow which (Mandos's "followers"). */
    private static final Map<Token, List<Token>> FOLLOWERS = Map.of(
            Token.P, List.of(Token.YEAR, Token.MONTH, Token.DAY, Token.T, Token.WEEK),
            Token.YEAR, List.of(Token.MONTH, Token.END),
            Token.MONTH, List.of(Token.DAY, Token.END),
            Token.DAY, List.of(Token.T, Token.END),
            Token.T, List.of(Token.HOUR, Token.MINUTE, Token.SECOND),
            Token.HOUR, List.of(Token.MINUTE, Token.END),
            Token.MINUTE, List.of(Token.SECOND, Token.END),
            Token.SECOND, List.of(Token.END),
            Token.WEEK, List.of(Token.END));

    /**
     * Parses a duration as the Mandos server does.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static Duration parse(String text) {
        BigInteger micros = rfc3339(text);
        if (micros == null) micros = legacy(text);
        BigInteger[] secondsAndMicros = micros.divideAndRemainder(MICROS_PER_SECOND);
        return Duration.ofSeconds(secondsAndMicros[0].longValueExact(),
                secondsAndMicros[1].longValueExact() * 1000);
    }

    /** The RFC 3339 token chain, or null when the text does not follow it. */
    private static BigInteger rfc3339(String text) {
        BigInteger total = BigInteger.ZERO;
        List<Token> followers = List.of(Token.P);
        int pos = 0;
        while (true) {
            Token found = null;
            int next = pos;
            BigInteger count = null;
            for (Token t : followers) {
                if (t == Token.END) {
                    // Python's "$" also matches before one final newline.
                    if (pos == text.length() || text.substring(pos).equals("\n")) found = t;
                } else if (!t.hasNumber()) {
                    if (pos < text.length() && text.charAt(pos) == t.letter) {
                        found = t;
                        next = pos + 1;
                    }
                } else {
                    int end = pos;
                    StringBuilder digits = new StringBuilder();
                    while (end < text.length()) {
                        int cp = text.codePointAt(end);
                        int d = PyText.decimalValue(cp);
                        if (d < 0) break;
                        digits.append((char) ('0' + d));
                        end += Character.charCount(cp);
                    }
                    if (end > pos && end < text.length() && text.charAt(end) == t.letter) {
                        found = t;
                        next = end + 1;
                        count = new BigInteger(digits.toString());
                    }
                }
                if (found != null) break;
            }
            if (found == null) return null;
            if (found == Token.END) return total;
            if (count != null) {
                total = add(total, count.multiply(BigInteger.valueOf(found.seconds)).multiply(MICROS_PER_SECOND),
                        text);
            }
            pos = next;
            followers = FOLLOWERS.get(found);
        }
    }

    private static BigInteger legacy(String text) {
        BigInteger total = BigInteger.ZERO;
        for (String token : PyText.split(text)) {
            int last = token.offsetByCodePoints(token.length(), -1);
            String suffix = token.substring(last);
            BigInteger value = PyText.parseInt(token.substring(0, last));
            long unit = switch (suffix) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> SECONDS_PER_DAY;
                case "w" -> SECONDS_PER_WEEK;
                default -> 0;
            };
            if (value == null || unit == 0) {
                throw new IllegalArgumentException("not a duration: \"" + text
                        + "\" (write e.g. PT5M, P1DT2H30M, P2W, or the old form 5m 30s)");
            }
            BigInteger micros = value.multiply(BigInteger.valueOf(unit)).multiply(MICROS_PER_SECOND);
            total = add(total, micros, text);
        }
        return total;
    }

    private static BigInteger add(BigInteger total, BigInteger micros, String text) {
        return inRange(total.add(inRange(micros, text)), text);
    }

    private static BigInteger inRange(BigInteger micros, String text) {
        if (micros.compareTo(MAX_MICROS) > 0 || micros.compareTo(MIN_MICROS) < 0) {
            throw new IllegalArgumentException("duration too large: \"" + text
                    + "\" (at most 999999999 days)");
        }
        return micros;
    }
}
