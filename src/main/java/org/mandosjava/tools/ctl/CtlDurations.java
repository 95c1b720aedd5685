package org.mandosjava.tools.ctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mandos-ctl's TIME arguments: an RFC 3339 duration, else (with a warning) the pre-1.6.1 interval
 * syntax, in which every {@code (\d+)([dsmhw]?)} counts, a bare number being milliseconds and
 * everything else ignored.
 */
final class CtlDurations {
    private static final Duration MONTH = Duration.ofDays(28);   // weeks=4, as the original
    private static final Duration YEAR = Duration.ofDays(364);   // weeks=52, as the original
    private static final Pattern LEGACY = Pattern.compile("(\\d+)([dsmhw]?)");

    /** The RFC 3339 grammar as a token automaton, as the original has it. */
    private enum Token {
        END("$", null), SECOND("(\\d+)S", Duration.ofSeconds(1)), MINUTE("(\\d+)M", Duration.ofMinutes(1)),
        HOUR("(\\d+)H", Duration.ofHours(1)), TIME("T", null), DAY("(\\d+)D", Duration.ofDays(1)),
        MONTH_("(\\d+)M", MONTH), YEAR_("(\\d+)Y", YEAR), WEEK("(\\d+)W", Duration.ofDays(7)), START("P", null);

        final Pattern pattern;
        final Duration unit;

        Token(String regex, Duration unit) {
            this.pattern = Pattern.compile(regex);
            this.unit = unit;
        }

        Set<Token> followers() {
            return switch (this) {
                case END -> Set.of();
                case SECOND -> Set.of(END);
                case MINUTE -> Set.of(SECOND, END);
                case HOUR -> Set.of(MINUTE, END);
                case TIME -> Set.of(HOUR, MINUTE, SECOND);
                case DAY -> Set.of(TIME, END);
                case MONTH_ -> Set.of(DAY, END);
                case YEAR_ -> Set.of(MONTH_, END);
                case WEEK -> Set.of(END);
                case START -> Set.of(YEAR_, MONTH_, DAY, TIME, WEEK);
            };
        }
    }

    /** The order the original tries followers in does not matter: no two followers match the same text. */
    private static final List<Token> ORDER = List.of(Token.values());

    private CtlDurations() {}

    /** Milliseconds for a TIME argument, warning on {@code err} when falling back to the old syntax. */
    static long millis(String text, PrintStream err) {
        Duration d;
        try {
            d = rfc3339(text);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + " - Parsing as pre-1.6.1 interval instead");
            d = legacy(text);
        }
        return d.toMillis();
    }

    static Duration rfc3339(String text) {
        Duration value = Duration.ZERO;
        Set<Token> followers = Set.of(Token.START);
        String rest = text;
        Token found = null;
        while (found != Token.END) {
            found = null;
            for (Token token : ORDER) {
                if (!followers.contains(token)) continue;
                Matcher m = token.pattern.matcher(rest);
                if (!m.lookingAt()) continue;
                if (token.unit != null) value = value.plus(token.unit.multipliedBy(Long.parseLong(m.group(1))));
                rest = rest.substring(m.end());
                found = token;
                followers = token.followers();
                break;
            }
            if (found == null) throw new IllegalArgumentException("Invalid RFC 3339 duration: \"" + text + "\"");
        }
        return value;
    }

    static Duration legacy(String text) {
        Duration value = Duration.ZERO;
        Matcher m = LEGACY.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            value = value.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofMillis(n);
            });
        }
        return value;
    }
}
