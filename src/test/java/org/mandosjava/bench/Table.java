package org.mandosjava.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table, and the number formats the report uses. */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    void row(String... cells) {
        if (cells.length != headers.size()) throw new IllegalArgumentException("row width " + cells.length);
        rows.add(List.of(cells));
    }

    String render() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) width[i] = Math.max(3, headers.get(i).length());
        for (List<String> r : rows) {
            for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width);
        out.append('|');
        for (int w : width) out.append('-').append("-".repeat(w)).append("-|");
        out.append('\n');
        for (List<String> r : rows) line(out, r, width);
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            out.append(' ').append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" |");
        }
        out.append('\n');
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "–";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ms(long nanos) {
        return num(nanos / 1e6);
    }

    static String mb(long bytes) {
        return bytes < 0 ? "–" : num(bytes / 1048576.0);
    }

    /** ours / python, or "–" when either side has no figure. */
    static String ratio(double ours, double python) {
        if (Double.isNaN(ours) || Double.isNaN(python) || python == 0) return "–";
        return num(ours / python) + "×";
    }
}
