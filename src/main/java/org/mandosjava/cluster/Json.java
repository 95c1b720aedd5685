package org.mandosjava.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small JSON this package writes into the store: one object of strings, booleans, integers,
 * null and nested objects of the same. Reading is strict: anything else is an error, so a record
 * someone else wrote by hand is refused rather than half-understood.
 */
final class Json {
    private Json() {}

    static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder();
        writeObject(out, object);
        return out.toString();
    }

    private static void writeObject(StringBuilder out, Map<String, ?> object) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : object.entrySet()) {
            if (!first) out.append(',');
            first = false;
            writeString(out, e.getKey());
            out.append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer) out.append(v);
            else if (v instanceof String s) writeString(out, s);
            else if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked") Map<String, ?> nested = (Map<String, ?>) m;
                writeObject(out, nested);
            } else throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName());
        }
        out.append('}');
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }

    static Map<String, Object> read(String text) {
        Reader r = new Reader(text);
        r.space();
        Map<String, Object> object = r.object();
        r.space();
        if (r.pos != text.length()) throw r.error("trailing text");
        return object;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at " + pos + ": " + what);
        }

        void space() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        void expect(char c) {
            space();
            if (pos >= s.length() || s.charAt(pos) != c) throw error("expected " + c);
            pos++;
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            space();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return out;
            }
            while (true) {
                space();
                String key = string();
                expect(':');
                space();
                out.put(key, value());
                space();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return out;
            }
        }

        Object value() {
            if (pos >= s.length()) throw error("value expected");
            char c = s.charAt(pos);
            if (c == '"') return string();
            if (c == '{') return object();
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = pos;
            if (c == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos == start || pos - start > 19) throw error("value expected");
            return Long.parseLong(s.substring(start, pos));
        }

        String string() {
            if (pos >= s.length() || s.charAt(pos) != '"') throw error("string expected");
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) break;
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
            throw error("unterminated string");
        }
    }
}
