package org.mandosjava.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the server's command line as the original's argparse does: {@code --name VALUE},
 * {@code --name=VALUE}, {@code -p VALUE}, {@code -pVALUE}, short flags together ({@code -hv}), a
 * unique prefix of a long option for the option ({@code --fore}), a later option overriding an
 * earlier one, {@code --} ending the options, and no positional arguments.
 * Written by hand rather than with the library the other tools use: the server starts on every boot
 * of the machine that holds every disk password, and that library's classes, built for an old class
 * file version, cannot go into the runtime's start-up cache (a tenth of a second at each start).
 */
final class ServerCommandLine {
    private static final Map<String, ServerOptions.Spec> BY_NAME = new HashMap<>();

    static {
        for (ServerOptions.Spec spec : ServerOptions.OPTIONS) {
            for (String name : spec.names()) BY_NAME.put(name, spec);
        }
    }

    private ServerCommandLine() {}

    /** A mistake on the command line, in words for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static ServerOptions parse(String[] args) throws UsageException {
        ServerOptions options = new ServerOptions();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                for (i++; i < args.length; i++) positional.add(args[i]);
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                ServerOptions.Spec spec = known(name);
                if (spec.isFlag()) {
                    if (eq >= 0) throw new UsageException("option " + name + ": ignored explicit argument '"
                            + arg.substring(eq + 1) + "'");
                    apply(spec, options, null);
                } else if (eq >= 0) {
                    apply(spec, options, arg.substring(eq + 1));
                } else {
                    apply(spec, options, next(args, ++i, spec));
                }
            } else if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
                i = shortOptions(args, i, options);
            } else {
                positional.add(arg);
            }
        }
        if (!positional.isEmpty()) throw new UsageException("unrecognized arguments: " + String.join(" ", positional));
        return options;
    }

    /** {@code -hv}, {@code -p 1234}, {@code -p1234}, {@code -p=1234}; returns the index of the last argument used. */
    private static int shortOptions(String[] args, int i, ServerOptions options) throws UsageException {
        String arg = args[i];
        for (int c = 1; c < arg.length(); c++) {
            String name = "-" + arg.charAt(c);
            ServerOptions.Spec spec = known(name);
            if (spec.isFlag()) {
                apply(spec, options, null);
                continue;
            }
            String rest = arg.substring(c + 1);
            if (rest.startsWith("=")) rest = rest.substring(1);
            if (!rest.isEmpty()) {
                apply(spec, options, rest);
                return i;
            }
            apply(spec, options, next(args, i + 1, spec));
            return i + 1;
        }
        return i;
    }

    /** The option {@code name} names: exactly, or as the unique prefix of a long option (argparse's abbreviations). */
    private static ServerOptions.Spec known(String name) throws UsageException {
        ServerOptions.Spec spec = BY_NAME.get(name);
        if (spec != null) return spec;
        if (name.startsWith("--") && name.length() > 2) {
            List<String> matches = new ArrayList<>();
            for (ServerOptions.Spec s : ServerOptions.OPTIONS) {
                if (s.help() == null) continue;
                for (String n : s.names()) {
                    if (n.startsWith(name)) matches.add(n);
                }
            }
            if (matches.size() == 1) return BY_NAME.get(matches.get(0));
            if (matches.size() > 1) {
                throw new UsageException("ambiguous option: " + name + " could match " + String.join(", ", matches));
            }
        }
        throw new UsageException("unrecognized arguments: " + name);
    }

    /** The value after an option; an option-like word is not one (as in argparse). */
    private static String next(String[] args, int i, ServerOptions.Spec spec) throws UsageException {
        if (i >= args.length || args[i].startsWith("-") && args[i].length() > 1 && !isNumber(args[i])) {
            throw new UsageException("argument " + String.join("/", spec.names()) + ": expected one argument");
        }
        return args[i];
    }

    private static void apply(ServerOptions.Spec spec, ServerOptions options, String value)
            throws UsageException {
        try {
            spec.set().accept(options, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("argument " + String.join("/", spec.names()) + ": " + e.getMessage());
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** An option's integer value; a bad one is an IllegalArgumentException saying so. */
    static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid int value: '" + value + "'");
        }
    }

    /** {@code text} in lines of at most {@code width} columns, the second and later indented by {@code indent}. */
    private static String wrapped(String text, int indent, int width) {
        StringBuilder out = new StringBuilder();
        int column = indent;
        for (String word : text.split(" ")) {
            if (column > indent && column + 1 + word.length() > width) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
            } else if (column > indent) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }

    /** The help text, argparse's layout. */
    static String usage(String program) {
        String lead = "usage: " + program;
        StringBuilder u = new StringBuilder(lead);
        int column = lead.length();
        for (ServerOptions.Spec spec : ServerOptions.OPTIONS) {
            if (spec.help() == null) continue;
            String item = " [" + spec.names().get(0) + (spec.isFlag() ? "" : " " + spec.label()) + "]";
            if (column + item.length() > 79) {
                u.append('\n').append(" ".repeat(lead.length()));
                column = lead.length();
            }
            u.append(item);
            column += item.length();
        }
        u.append("\n\n").append(ServerOptions.DESCRIPTION).append("\n\noptions:\n");
        for (ServerOptions.Spec spec : ServerOptions.OPTIONS) {
            if (spec.help() == null) continue;
            List<String> forms = new ArrayList<>();
            for (String n : spec.names()) forms.add(spec.isFlag() ? n : n + " " + spec.label());
            String left = "  " + String.join(", ", forms);
            u.append(left);
            // Two spaces at least between an option and its help, as argparse (and readers of it) expect.
            if (left.length() + 2 <= 24) u.append(" ".repeat(24 - left.length()));
            else u.append('\n').append(" ".repeat(24));
            u.append(wrapped(spec.help(), 24, 79)).append('\n');
        }
        return u.toString();
    }
}
