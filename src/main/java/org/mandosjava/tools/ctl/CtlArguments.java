package org.mandosjava.tools.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * mandos-ctl's command line, parsed as Python's argparse parses the original's: long options may be
 * abbreviated to a unique prefix, short flags combined, values attached ({@code -tPT5M},
 * {@code --timeout=PT5M}); TIME values are converted (and warned about) while parsing; then the
 * original's extra rules apply. Problems are {@link UsageException}s with argparse's wording.
 */
final class CtlArguments {
    static final String USAGE = """
            usage: mandos-ctl [-h] [--version] [-a] [-v] [-j] [-e | -d] [-b]
                              [--start-checker | --stop-checker] [-V] [-r] [-c COMMAND]
                              [-t TIME] [--extended-timeout TIME] [-i TIME]
                              [--approve-by-default | --deny-by-default]
                              [--approval-delay TIME] [--approval-duration TIME]
                              [-H STRING] [-s FILENAME] [-A | -D] [--debug] [--check]
                              [client ...]
            """;

    static final String HELP = USAGE + """

            positional arguments:
              client                Client name

            options:
              -h, --help            show this help message and exit
              --version             show version number and exit
              -a, --all             Select all clients
              -v, --verbose         Print all fields
              -j, --dump-json       Dump client data in JSON format
              -e, --enable          Enable client
              -d, --disable         disable client
              -b, --bump-timeout    Bump timeout for client
              --start-checker       Start checker for client
              --stop-checker        Stop checker for client
              -V, --is-enabled      Check if client is enabled
              -r, --remove          Remove client
              -c COMMAND, --checker COMMAND
                                    Set checker command for client
              -t TIME, --timeout TIME
                                    Set timeout for client
              --extended-timeout TIME
                                    Set extended timeout for client
              -i TIME, --interval TIME
                                    Set checker interval for client
              --approve-by-default  Set client to be approved by default
              --deny-by-default     Set client to be denied by default
              --approval-delay TIME
                                    Set delay before client approve/deny
              --approval-duration TIME
                                    Set duration of one client approval
              -H STRING, --host STRING
                                    Set host for client
              -s FILENAME, --secret FILENAME
                                    Set password blob (file) for client
              -A, --approve         Approve any current client request
              -D, --deny            Deny any current client request
              --debug               Debug mode (show D-Bus commands)
              --check               Run self-test
            """;

    /** What the option does with its value, if it takes one. */
    private enum Kind { FLAG, TEXT, TIME, FILE }

    /** One option: short and long spelling (either may be null), its metavar, its exclusive group. */
    private record Option(String id, String shortName, String longName, Kind kind, String metavar, int group) {
        String display() {
            String text = shortName != null && longName != null ? shortName + "/" + longName
                    : shortName != null ? shortName : longName;
            return text;
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("help", "-h", "--help", Kind.FLAG, null, 0),
            new Option("version", null, "--version", Kind.FLAG, null, 0),
            new Option("all", "-a", "--all", Kind.FLAG, null, 0),
            new Option("verbose", "-v", "--verbose", Kind.FLAG, null, 0),
            new Option("json", "-j", "--dump-json", Kind.FLAG, null, 0),
            new Option("enable", "-e", "--enable", Kind.FLAG, null, 1),
            new Option("disable", "-d", "--disable", Kind.FLAG, null, 1),
            new Option("bump", "-b", "--bump-timeout", Kind.FLAG, null, 0),
            new Option("start", null, "--start-checker", Kind.FLAG, null, 2),
            new Option("stop", null, "--stop-checker", Kind.FLAG, null, 2),
            new Option("isenabled", "-V", "--is-enabled", Kind.FLAG, null, 0),
            new Option("remove", "-r", "--remove", Kind.FLAG, null, 0),
            new Option("checker", "-c", "--checker", Kind.TEXT, "COMMAND", 0),
            new Option("timeout", "-t", "--timeout", Kind.TIME, "TIME", 0),
            new Option("extended", null, "--extended-timeout", Kind.TIME, "TIME", 0),
            new Option("interval", "-i", "--interval", Kind.TIME, "TIME", 0),
            new Option("abd", null, "--approve-by-default", Kind.FLAG, null, 3),
            new Option("dbd", null, "--deny-by-default", Kind.FLAG, null, 3),
            new Option("delay", null, "--approval-delay", Kind.TIME, "TIME", 0),
            new Option("duration", null, "--approval-duration", Kind.TIME, "TIME", 0),
            new Option("host", "-H", "--host", Kind.TEXT, "STRING", 0),
            new Option("secret", "-s", "--secret", Kind.FILE, "FILENAME", 0),
            new Option("approve", "-A", "--approve", Kind.FLAG, null, 4),
            new Option("deny", "-D", "--deny", Kind.FLAG, null, 4),
            new Option("debug", null, "--debug", Kind.FLAG, null, 0),
            new Option("check", null, "--check", Kind.FLAG, null, 0),
            // Ours, and left out of --help, which stays the original's word for word: set when the
            // client's OpenPGP key expires (extend it), as key_expires in clients.conf.
            new Option("keyexpires", null, "--key-expires", Kind.TEXT, "DATE", 0));

    /** The command line is wrong: argparse prints the usage and this message, exit status 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    boolean help, version, all, verbose, debug, check;
    final List<String> clients = new ArrayList<>();
    final List<CtlCommand> commands = new ArrayList<>();

    private CtlArguments() {}

    static CtlArguments parse(String[] args, PrintStream err) throws UsageException {
        CtlArguments a = new CtlArguments();
        Option[] groupChoice = new Option[5];
        List<String> unrecognized = new ArrayList<>();
        boolean positionalsDone = false;
        boolean inPositionals = false;
        boolean onlyPositionals = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean isOption = !onlyPositionals && arg.startsWith("-") && arg.length() > 1 && !isNegativeNumber(arg);
            if (!onlyPositionals && arg.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            if (!isOption) {
                if (positionalsDone && !inPositionals) unrecognized.add(arg);
                else {
                    a.clients.add(arg);
                    inPositionals = true;
                }
                continue;
            }
            if (inPositionals) {
                inPositionals = false;
                positionalsDone = true;
            }
            if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                Option option = longOption(name, arg);
                if (option == null) {
                    unrecognized.add(arg);
                    continue;
                }
                if (option.kind() == Kind.FLAG) {
                    if (value != null) throw new UsageException("argument " + option.display() + ": ignored explicit argument '" + value + "'");
                } else if (value == null) {
                    if (i + 1 >= args.length || looksLikeOption(args[i + 1])) {
                        throw new UsageException("argument " + option.display() + ": expected one argument");
                    }
                    value = args[++i];
                }
                a.apply(option, value, groupChoice, err);
            } else {
                // Short options: flags may be combined; a value-taking one takes the rest or the next argument.
                for (int j = 1; j < arg.length(); j++) {
                    String s = "-" + arg.charAt(j);
                    Option option = shortOption(s);
                    if (option == null) {
                        if (j == 1) unrecognized.add(arg);
                        else throw new UsageException("argument " + OPTIONS.stream().filter(o -> s.equals(o.shortName())).findFirst()
                                .map(Option::display).orElse(arg) + ": ignored explicit argument '" + arg.substring(j) + "'");
                        break;
                    }
                    if (option.kind() == Kind.FLAG) {
                        a.apply(option, null, groupChoice, err);
                        continue;
                    }
                    String value;
                    if (j + 1 < arg.length()) value = arg.substring(j + 1);
                    else if (i + 1 < args.length && !looksLikeOption(args[i + 1])) value = args[++i];
                    else throw new UsageException("argument " + option.display() + ": expected one argument");
                    a.apply(option, value, groupChoice, err);
                    break;
                }
            }
        }
        if (!unrecognized.isEmpty()) throw new UsageException("unrecognized arguments: " + String.join(" ", unrecognized));
        if (a.help || a.version) return a;
        a.checkSyntax();
        return a;
    }

    private static boolean isNegativeNumber(String arg) {
        return arg.matches("-\\d+|-\\d*\\.\\d+");
    }

    private static boolean looksLikeOption(String arg) {
        return arg.startsWith("-") && arg.length() > 1 && !isNegativeNumber(arg);
    }

    private static Option shortOption(String s) {
        for (Option o : OPTIONS) if (s.equals(o.shortName())) return o;
        return null;
    }

    /** An exact long option, else the one it is a unique prefix of. */
    private static Option longOption(String name, String arg) throws UsageException {
        List<Option> matches = new ArrayList<>();
        for (Option o : OPTIONS) {
            if (name.equals(o.longName())) return o;
            if (o.longName() != null && o.longName().startsWith(name)) matches.add(o);
        }
        if (matches.size() > 1) {
            List<String> names = matches.stream().map(Option::longName).toList();
            throw new UsageException("ambiguous option: " + name + " could match " + String.join(", ", names));
        }
        return matches.isEmpty() ? null : matches.get(0);
    }

    private void apply(Option option, String value, Option[] groupChoice, PrintStream err) throws UsageException {
        if (option.group() != 0) {
            Option chosen = groupChoice[option.group()];
            if (chosen != null && chosen != option) {
                throw new UsageException("argument " + option.display() + ": not allowed with argument " + chosen.display());
            }
            groupChoice[option.group()] = option;
        }
        switch (option.id()) {
            case "help" -> help = true;
            case "version" -> version = true;
            case "all" -> all = true;
            case "verbose" -> verbose = true;
            case "debug" -> debug = true;
            case "check" -> check = true;
            case "json" -> commands.add(new CtlCommand.DumpJson());
            case "enable" -> commands.add(new CtlCommand.SetProperty("Enabled", true));
            case "disable" -> commands.add(new CtlCommand.SetProperty("Enabled", false));
            case "bump" -> commands.add(new CtlCommand.SetProperty("LastCheckedOK", ""));
            case "start" -> commands.add(new CtlCommand.SetProperty("CheckerRunning", true));
            case "stop" -> commands.add(new CtlCommand.SetProperty("CheckerRunning", false));
            case "isenabled" -> commands.add(new CtlCommand.IsEnabled());
            case "remove" -> commands.add(new CtlCommand.Remove());
            case "checker" -> commands.add(new CtlCommand.SetProperty("Checker", value));
            case "host" -> commands.add(new CtlCommand.SetProperty("Host", value));
            case "timeout" -> commands.add(new CtlCommand.SetProperty("Timeout", CtlDurations.millis(value, err)));
            case "extended" -> commands.add(new CtlCommand.SetProperty("ExtendedTimeout", CtlDurations.millis(value, err)));
            case "interval" -> commands.add(new CtlCommand.SetProperty("Interval", CtlDurations.millis(value, err)));
            case "delay" -> commands.add(new CtlCommand.SetProperty("ApprovalDelay", CtlDurations.millis(value, err)));
            case "duration" -> commands.add(new CtlCommand.SetProperty("ApprovalDuration", CtlDurations.millis(value, err)));
            case "abd" -> commands.add(new CtlCommand.SetProperty("ApprovedByDefault", true));
            case "dbd" -> commands.add(new CtlCommand.SetProperty("ApprovedByDefault", false));
            case "secret" -> commands.add(new CtlCommand.SetProperty("Secret", readSecret(option, value)));
            case "approve" -> commands.add(new CtlCommand.Approve(true));
            case "deny" -> commands.add(new CtlCommand.Approve(false));
            case "keyexpires" -> commands.add(new CtlCommand.SetProperty("KeyExpires", keyExpiry(option, value)));
            default -> throw new IllegalStateException(option.id());
        }
    }

    /** The date checked here, so that a typo is a usage error, and sent as UTC. */
    private static String keyExpiry(Option option, String value) throws UsageException {
        try {
            return org.mandosjava.config.KeyExpiryDates.format(org.mandosjava.config.KeyExpiryDates.parse(value));
        } catch (IllegalArgumentException e) {
            throw new UsageException("argument " + option.display() + ": " + e.getMessage());
        }
    }

    private static byte[] readSecret(Option option, String file) throws UsageException {
        try {
            return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("argument " + option.display() + ": can't open '" + file
                    + "': [Errno 2] No such file or directory: '" + file + "'");
        } catch (IOException | RuntimeException e) {
            throw new UsageException("argument " + option.display() + ": can't open '" + file + "': " + e.getMessage());
        }
    }

    /** The original's check_option_syntax, in its order. */
    private void checkSyntax() throws UsageException {
        boolean actions = commands.stream().anyMatch(c -> !(c instanceof CtlCommand.DumpJson));
        boolean json = commands.stream().anyMatch(c -> c instanceof CtlCommand.DumpJson);
        if (actions && clients.isEmpty() && !all) throw new UsageException("Options require clients names or --all.");
        if (verbose && actions) throw new UsageException("--verbose can only be used alone.");
        if (json && (verbose || commands.size() > 1)) throw new UsageException("--dump-json can only be used alone.");
        if (all && !actions) throw new UsageException("--all requires an action.");
        boolean isEnabled = commands.stream().anyMatch(c -> c instanceof CtlCommand.IsEnabled);
        if (isEnabled && clients.size() > 1) throw new UsageException("--is-enabled requires exactly one client");
        boolean remove = commands.stream().anyMatch(c -> c instanceof CtlCommand.Remove);
        boolean deny = commands.stream().anyMatch(c -> c instanceof CtlCommand.Approve a && !a.approve());
        if (commands.size() > 1 && remove && !deny) throw new UsageException("--remove can only be combined with --deny");
    }

    /** The commands to run: denials moved before a removal, and the table when nothing else was asked. */
    List<CtlCommand> effectiveCommands() {
        List<CtlCommand> result = new ArrayList<>(commands);
        int removeAt = -1;
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i) instanceof CtlCommand.Remove) {
                removeAt = i;
                break;
            }
        }
        if (removeAt >= 0) {
            List<CtlCommand> before = new ArrayList<>(result.subList(0, removeAt));
            List<CtlCommand> after = new ArrayList<>();
            for (CtlCommand c : result.subList(removeAt, result.size())) {
                if (c instanceof CtlCommand.Approve a && !a.approve()) before.add(c);
                else after.add(c);
            }
            before.addAll(after);
            result = before;
        }
        if (result.isEmpty()) result.add(new CtlCommand.PrintTable(verbose));
        return result;
    }
}
