package org.mandosjava.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.ConfigPermissions;
import org.mandosjava.config.MandosConf;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.log.LogLevel;
import org.mandosjava.protocol.GnuTlsPriority;
import org.mandosjava.protocol.TlsPolicy;
import org.mandosjava.server.CheckerCommand;
import org.mandosjava.zeroconf.ZeroconfSettings;

/** What startup established before any socket or privilege was touched. */
record Startup(ServerSettings settings, Level logLevel, TlsPolicy tlsPolicy, StateSetup state,
        List<String> warnings, ZeroconfSettings.Mode zeroconfMode, String readingNote) {
    static final String MANDOS_CONF = "mandos.conf";
    static final String CLIENTS_CONF = "clients.conf";
    private static final Logger LOG = Logger.getLogger(Startup.class.getName());

    static Startup check(ServerOptions options) throws UsageError, ConfigException {
        ServerSettings base = options.applyTo(ServerSettings.defaults());
        Path configDir = base.configDir();
        ServerSettings fromFile = MandosConf.load(configDir.resolve(MANDOS_CONF),
                ServerSettings.defaults().withConfigDir(configDir));
        ServerSettings settings = options.applyTo(fromFile);
        if (!settings.zeroconf() && settings.port() == null && settings.socket() == null) {
            throw new UsageError("Needs port or socket to work without Zeroconf");
        }
        Level level;
        try {
            level = settings.debug() ? Level.FINE
                    : settings.debugLevel().isEmpty() ? Level.WARNING : LogLevel.parse(settings.debugLevel());
        } catch (IllegalArgumentException e) {
            throw new UsageError("--debuglevel: " + e.getMessage());
        }
        TlsPolicy policy;
        try {
            policy = GnuTlsPriority.parse(settings.priority());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(options.priority != null ? null : configDir.resolve(MANDOS_CONF), 0,
                    "priority", e.getMessage());
        }
        Path clientsFile = configDir.resolve(CLIENTS_CONF);
        long readStart = System.nanoTime();
        List<ClientConfig> clients = checkCheckers(ClientsConf.load(clientsFile));
        long readNanos = System.nanoTime() - readStart;
        List<String> warnings = new java.util.ArrayList<>();
        ConfigPermissions.exposure(clientsFile).ifPresent(warnings::add);
        ZeroconfSettings.Mode zeroconfMode;
        try {
            zeroconfMode = options.zeroconfMode == null ? ZeroconfSettings.Mode.AUTO
                    : ZeroconfSettings.Mode.parse(options.zeroconfMode);
            if (settings.zeroconf()) {
                // Checks the service name now, before detaching; the port is known only later.
                new ZeroconfSettings(settings.serviceName(), 1, settings.interfaceName(),
                        settings.useIpv6(), zeroconfMode);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        long stateStart = System.nanoTime();
        StateSetup state = StateSetup.load(settings, clients, Instant.now());
        // Not String.format: its first use costs a start about 10 ms (the format parser, locale data).
        String note = "Read " + clients.size() + " clients from " + clientsFile + " in " + seconds(readNanos)
                + " s; state loaded and merged in " + seconds(System.nanoTime() - stateStart) + " s";
        return new Startup(settings, level, policy, state, List.copyOf(warnings), zeroconfMode, note);
    }

    /** A count with commas between groups of three digits, as {@code %,d} prints it in the root locale. */
    static String grouped(long count) {
        String digits = Long.toString(count);
        int first = count < 0 ? 1 : 0;
        StringBuilder sb = new StringBuilder(digits.length() + digits.length() / 3).append(digits, 0, first);
        for (int i = first; i < digits.length(); i++) {
            if (i > first && (digits.length() - i) % 3 == 0) sb.append(',');
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** Seconds with two decimals, as {@code %.2f} would print them. */
    static String seconds(long nanos) {
        long hundredths = Math.round(nanos / 1e7);
        return hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
    }

    /** What to announce, once the listening port is known. */
    ZeroconfSettings zeroconf(int port) {
        return new ZeroconfSettings(settings.serviceName(), port, settings.interfaceName(),
                settings.useIpv6(), zeroconfMode);
    }

    /**
     * Logs, per client, a checker command that cannot be formatted (an unknown {@code %(name)s}, a lone
     * {@code %} such as a link-local host's {@code %eth0}). As in the original, that is the client's
     * problem, not the server's: the server starts, and that client's checker fails each time it is
     * due (logged again then) until the command is fixed.
     */
    static List<ClientConfig> checkCheckers(List<ClientConfig> clients) {
        for (ClientConfig c : clients) {
            String problem = CheckerCommand.problem(c.checker());
            if (problem != null) {
                LOG.severe(new ConfigException(c.file(), c.line(), "checker", problem + " (client [" + c.name()
                        + "]); its checker fails until this is fixed").getMessage());
            }
        }
        return clients;
    }
}
