package org.mandosjava.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations the configuration formats depend on, with Python's
 * definition of whitespace ({@code str.isspace}, also used by {@code strip()}, {@code split()} and
 * the {@code \s} of {@code re}), which differs from Java's (no-break spaces count in Python).
 */
final class PyText {
    private PyText() {}

    /** Python 3's {@code chr(cp).isspace()}. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
                    0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int end = rstripEnd(s);
        int start = 0;
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isSpace(cp)) break;
            start += Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** {@code s.rstrip()}. */
    static String rstrip(String s) {
        return s.substring(0, rstripEnd(s));
    }

    /** Empty or whitespace only: {@code not s.strip()}. */
    static boolean isBlank(String s) {
        return rstripEnd(s) == 0;
    }

    /** Where {@code s.rstrip()} ends. */
    static int rstripEnd(CharSequence s) {
        int end = s.length();
        while (end > 0) {
            int cp = Character.codePointBefore(s, end);
            if (!isSpace(cp)) break;
            end -= Character.charCount(cp);
        }
        return end;
    }

    /** Index of the first non-whitespace char ({@code re.search(r"\S", s).start()}), or -1. */
    static int firstNonSpace(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!isSpace(cp)) return i;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** {@code s.split()} without arguments: runs of whitespace separate, no empty fields. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /**
     * Python's {@code int(s)} for a str without surrounding whitespace: optional sign, decimal
     * digits of any script, single underscores between digits.
     *
     * @return the value, or null when Python would raise ValueError
     */
    static java.math.BigInteger parseInt(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        StringBuilder digits = new StringBuilder();
        boolean lastWasDigit = false;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_') {
                if (!lastWasDigit) return null;
                lastWasDigit = false;
                continue;
            }
            int d = decimalValue(cp);
            if (d < 0) return null;
            digits.append((char) ('0' + d));
            lastWasDigit = true;
        }
        if (digits.isEmpty() || !lastWasDigit) return null;
        java.math.BigInteger v = new java.math.BigInteger(digits.toString());
        return negative ? v.negate() : v;
    }

    /** Value of a Unicode decimal digit (category Nd, what Python's {@code \d} matches), or -1. */
    static int decimalValue(int cp) {
        return Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
    }

    /** {@code str.lower()} (full Unicode case mapping, locale-independent). */
    static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code str.upper()}. */
    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }
}
