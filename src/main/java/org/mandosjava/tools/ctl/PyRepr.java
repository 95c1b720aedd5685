package org.mandosjava.tools.ctl;

/** Python's {@code repr()} of a str, which the original's messages use ({@code %r}). */
final class PyRepr {
    private PyRepr() {}

    static String of(String s) {
        char quote = s.contains("'") && !s.contains("\"") ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') out.append('\\').appendCodePoint(cp);
            else if (cp == '\n') out.append("\\n");
            else if (cp == '\r') out.append("\\r");
            else if (cp == '\t') out.append("\\t");
            else if (cp < 0x20 || cp == 0x7f) out.append(String.format("\\x%02x", cp));
            else if (Character.isISOControl(cp) && cp < 0x100) out.append(String.format("\\x%02x", cp));
            else out.appendCodePoint(cp);
        });
        return out.append(quote).toString();
    }
}
