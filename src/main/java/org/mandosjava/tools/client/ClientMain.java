package org.mandosjava.tools.client;

import org.mandosjava.platform.IoErrors;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.openpgp.MessageDecryptor;
import org.mandosjava.openpgp.OpenPgpDecryptionException;
import org.mandosjava.openpgp.OpenPgpKeys;
import org.mandosjava.protocol.GnuTlsPriority;
import org.mandosjava.protocol.TlsPolicy;
import org.mandosjava.zeroconf.Link;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The {@code mandos-client} command: fetch the encrypted password from a Mandos server, decrypt it
 * and write it to stdout exactly, retrying until it succeeds or the process is signalled.
 */
public final class ClientMain {
    private static final Logger LOG = Logger.getLogger(ClientMain.class.getName());
    /** Held: JUL keeps loggers weakly, and the level set on it must stay. */
    private static final Logger JMDNS_LOG = Logger.getLogger("javax.jmdns");
    /** Prefix of the original's diagnostics, which plugin-runner's users know. */
    static final String LOG_PREFIX = "Mandos plugin mandos-client: ";

    /** Exit statuses of mandos-client 1.8.16 (sysexits.h). */
    static final int EXIT_OK = 0;
    /** No network interface to browse on. */
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 64;
    static final int EXIT_UNAVAILABLE = 69;
    /** Writing the password failed; plugin-runner should try again (the original's TODO). */
    static final int EXIT_TEMPFAIL = 75;
    private static final double MAX_RETRY_SECONDS = Integer.MAX_VALUE / 1000.0;

    private final PrintStream err;
    private final OutputStream passwordOut;

    ClientMain(OutputStream passwordOut, PrintStream err) {
        this.passwordOut = passwordOut;
        this.err = err;
    }

    public static int run(String[] args) {
        return new ClientMain(new FileOutputStream(FileDescriptor.out), System.err).execute(args);
    }

    int execute(String[] args) {
        ClientOptions options = new ClientOptions();
        CommandLine commandLine = new CommandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            err.println(LOG_PREFIX + e.getMessage());
            return EXIT_USAGE;
        }
        // Like the original's argp, help, usage and version exit with EX_USAGE (spec §13).
        if (options.version || options.help || options.usage) {
            PrintWriter writer = new PrintWriter(passwordOut, true, StandardCharsets.UTF_8);
            if (options.version) writer.println(ClientOptions.VERSION_LINE);
            else commandLine.usage(writer);
            writer.flush();
            return EXIT_USAGE;
        }
        configureLogging(options.debug);

        ServerAddress server;
        TlsPolicy policy;
        try {
            server = chooseServer(options);
            policy = options.priority == null ? TlsPolicy.mandosDefault() : GnuTlsPriority.parse(options.priority);
            if (!(options.retry >= 0 && options.retry <= MAX_RETRY_SECONDS)) {
                throw new IllegalArgumentException("Bad retry interval");
            }
            if (!(options.delay >= 0)) throw new IllegalArgumentException("Bad delay");
        } catch (IllegalArgumentException e) {
            err.println(LOG_PREFIX + e.getMessage());
            return EXIT_USAGE;
        }
        TlsKeyPair tlsKeys;
        PGPSecretKeyRing secretKeys;
        try {
            tlsKeys = TlsKeyPair.read(options.tlsPubkeyOrDefault(), options.tlsPrivkeyOrDefault());
            secretKeys = OpenPgpKeys.readSecretKeys(options.seckeyOrDefault());
        } catch (IOException e) {
            err.println(LOG_PREFIX + IoErrors.describe(e));
            return EXIT_UNAVAILABLE;
        }
        LOG.fine(() -> "Key ID: " + tlsKeys.keyId());

        SecretFetcher fetcher = new SecretFetcher(tlsKeys, policy);
        return server != null ? fetchUntilSuccess(fetcher, server, secretKeys, options.retry)
                : browseUntilSuccess(fetcher, options.interfaces, secretKeys, options.retry);
    }

    private ServerAddress chooseServer(ClientOptions options) {
        if (options.connect == null) return null;
        ServerAddress server = ServerAddress.parse(options.connect);
        List<String> interfaces = options.interfaces.stream()
                .filter(name -> !name.isEmpty() && !name.equals("none")).toList();
        return interfaces.size() == 1 ? server.scopedTo(interfaces.get(0)) : server;
    }

    private int fetchUntilSuccess(SecretFetcher fetcher, ServerAddress server, PGPSecretKeyRing keys, double retry) {
        long retryMillis = Math.round(retry * 1000);
        while (true) {
            byte[] password = attempt(fetcher, server, keys);
            if (password != null) return deliver(password);
            LOG.fine(() -> "Retrying in " + retry + " seconds");
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return EXIT_UNAVAILABLE;
            }
        }
    }

    /**
     * Without --connect (spec §6.2): browse by Zeroconf, try each server as soon as it is found, and
     * retry those that gave nothing, least recently tried first, every {@code retry} seconds each,
     * while still browsing.
     */
    private int browseUntilSuccess(SecretFetcher fetcher, List<String> interfaceNames, PGPSecretKeyRing keys,
            double retry) {
        List<Link> links;
        try {
            links = BrowseInterfaces.choose(interfaceNames, Link.system(), LOG::warning);
        } catch (SocketException e) {
            err.println(LOG_PREFIX + "Cannot list network interfaces: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (links.isEmpty()) {
            err.println(LOG_PREFIX + "Could not find a network interface");
            return EXIT_FAILURE;
        }
        RetryList retries = new RetryList(Math.round(retry * 1e9));
        try (ZeroconfBrowser browser = ZeroconfBrowser.start(links)) {
            while (true) {
                Optional<ServerAddress> found = browser.next(Math.max(0, retries.nanosUntilDue(System.nanoTime())));
                Optional<ServerAddress> server = found.isPresent() ? found : retries.due(System.nanoTime());
                if (server.isEmpty()) continue;
                byte[] password = attempt(fetcher, server.get(), keys);
                if (password != null) return deliver(password);
                retries.tried(server.get(), System.nanoTime());
                LOG.fine(() -> "Will retry " + server.get() + " in " + retry + " seconds");
            }
        } catch (IOException e) {
            err.println(LOG_PREFIX + "Cannot browse for Mandos servers: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_UNAVAILABLE;
        }
    }

    private int deliver(byte[] password) {
        try {
            passwordOut.write(password);
            passwordOut.flush();
            return EXIT_OK;
        } catch (IOException e) {
            err.println(LOG_PREFIX + "could not write the password to stdout: " + e.getMessage());
            return EXIT_TEMPFAIL;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** @return the password, or null after logging (with --debug) why this attempt failed */
    private static byte[] attempt(SecretFetcher fetcher, ServerAddress server, PGPSecretKeyRing keys) {
        LOG.fine(() -> "Connecting to Mandos server at " + server);
        byte[] message;
        try {
            message = fetcher.fetch(server);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Connection to " + server + " failed: " + e, e);
            return null;
        }
        if (message.length == 0) {
            LOG.fine(() -> "Server " + server + " sent no password (unknown, disabled or unapproved client?)");
            return null;
        }
        LOG.fine(() -> "Received " + message.length + " bytes from " + server);
        try {
            return MessageDecryptor.decrypt(message, keys);
        } catch (OpenPgpDecryptionException e) {
            LOG.fine(() -> "Decryption of the data from " + server + " failed: " + e.getMessage());
            return null;
        }
    }

    /** Quiet like the original unless --debug; messages carry its prefix. */
    private void configureLogging(boolean debug) {
        Logger base = Logger.getLogger("org.mandosjava");
        base.setUseParentHandlers(false);
        for (var handler : base.getHandlers()) base.removeHandler(handler);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    err.print(getFormatter().format(record));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String text = LOG_PREFIX + formatMessage(record) + System.lineSeparator();
                return debug && record.getThrown() != null && record.getThrown().getCause() != null
                        ? text + LOG_PREFIX + "  caused by " + record.getThrown().getCause() + System.lineSeparator()
                        : text;
            }
        });
        Level level = debug ? Level.FINE : Level.WARNING;
        handler.setLevel(level);
        base.setLevel(level);
        base.addHandler(handler);
        // JmDNS narrates every packet; its warnings are debug output here, and quiet means quiet.
        JMDNS_LOG.setUseParentHandlers(false);
        for (var old : JMDNS_LOG.getHandlers()) JMDNS_LOG.removeHandler(old);
        JMDNS_LOG.setLevel(debug ? Level.WARNING : Level.OFF);
        JMDNS_LOG.addHandler(handler);
    }
}
