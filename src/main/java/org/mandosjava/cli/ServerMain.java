package org.mandosjava.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.Version;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.ConfigFileReader;
import org.mandosjava.config.OperationsSettings;
import org.mandosjava.config.ServerSettings;
import org.mandosjava.control.MandosDBus;
import org.mandosjava.log.LogLevel;
import org.mandosjava.log.LogSetup;
import org.mandosjava.platform.IoErrors;
import org.mandosjava.platform.PosixException;
import org.mandosjava.platform.PrivilegeException;
import org.mandosjava.platform.PrivilegedFileReader;
import org.mandosjava.platform.ProcessHardening;
import org.mandosjava.platform.Privileges;
import org.mandosjava.platform.Signals;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.server.CheckerRunner;
import org.mandosjava.cluster.ClusterNode;
import org.mandosjava.cluster.etcd.EtcdClient;
import org.mandosjava.cluster.etcd.EtcdException;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ConnectionLimits;
import org.mandosjava.server.ListenSocket;
import org.mandosjava.server.MandosServer;
import org.mandosjava.server.PeerAddress;
import org.mandosjava.server.Persistence;
import org.mandosjava.server.StateNotDurableException;
import org.mandosjava.server.SystemScheduler;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.SavedState;
import org.mandosjava.state.StateMerge;
import org.mandosjava.state.StateSaver;
import org.mandosjava.zeroconf.ServiceAnnouncer;
import org.mandosjava.zeroconf.Zeroconf;
import org.mandosjava.zeroconf.ZeroconfException;
import sun.misc.Signal;

/**
 * The {@code mandos} server command. Startup order (spec §9, made stricter): options and mandos.conf,
 * every configuration value checked, clients.conf read and checked, socket bound — all before
 * detaching, so a mistake is reported on the terminal with a non-zero status — then privileges
 * dropped, then connections accepted.
 */
public final class ServerMain {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final Logger LOG = Logger.getLogger(ServerMain.class.getName());
    private static final String PROGRAM = "mandos";

    private final PrintStream err;
    /** Null for the daemon; set, the start is rehearsed inside {@code --check}. */
    private final Rehearsal rehearsal;

    private ServerMain(PrintStream err, Rehearsal rehearsal) {
        this.err = err;
        this.rehearsal = rehearsal;
    }

    public static int run(String[] args) {
        return new ServerMain(System.err, null).main(args);
    }

    /** Runs the server as {@link #run} would, until {@code rehearsal} is told to stop. */
    static int rehearse(String[] args, PrintStream err, Rehearsal rehearsal) {
        try {
            return new ServerMain(err, rehearsal).main(args);
        } finally {
            rehearsal.ended();
        }
    }

    private int main(String[] args) {
        ServerOptions options;
        try {
            options = ServerCommandLine.parse(args);
        } catch (ServerCommandLine.UsageException e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            err.println("Try '" + PROGRAM + " --help' for more information.");
            return EXIT_USAGE;
        }
        if (options.help) {
            System.out.print(ServerCommandLine.usage(PROGRAM));
            return EXIT_OK;
        }
        if (options.version) {
            System.out.println(PROGRAM + " " + Version.COMPATIBLE + " (mandos-java " + Version.OWN + ")");
            return EXIT_OK;
        }
        if (options.check) {
            LogSetup.configure(PROGRAM, Level.WARNING, LogSetup.Target.CONSOLE);
            return SelfCheck.run(System.out);
        }
        // Until the settings are known, warnings (from loading state, say) still get our format.
        LogSetup.configure(PROGRAM, Level.WARNING, rehearsal != null ? LogSetup.Target.CONSOLE : LogSetup.consoleOrJournal());
        Demo demo = null;
        if (options.demo) {
            try {
                demo = Demo.prepare(options, System.out);
            } catch (IOException e) {
                err.println(PROGRAM + ": error: cannot prepare the demo: " + e.getMessage());
                return EXIT_FAILURE;
            }
        }

        // Everything that can be wrong with the configuration is found here, before detaching.
        Startup startup;
        try {
            startup = Startup.check(options);
        } catch (UsageError e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        ServerSettings settings = startup.settings();
        if (options.clusterImport) {
            return ClusterSetup.importState(settings.cluster(), startup.state().saved(Instant.now()), System.out, err);
        }
        if (options.clusterForget != null) return ClusterSetup.forget(settings.cluster(), options.clusterForget, System.out, err);
        OperationsSettings operationsSettings;
        try {
            operationsSettings = options.applyTo(
                    OperationsSettings.load(settings.configDir().resolve(Startup.MANDOS_CONF)));
        } catch (IllegalArgumentException e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }

        if (!settings.foreground() && !options.detachedChild) {
            try {
                startup.state().store().releaseDirectory(); // the child takes it
            } catch (IOException e) {
                err.println(PROGRAM + ": error: " + e.getMessage());
                return EXIT_FAILURE;
            }
            return Detach.startChild(args, err);
        }
        LogSetup.configure(settingsPrefix(settings), startup.logLevel(), logTarget(options));
        startup.warnings().forEach(LOG::warning);
        startup.state().warnings().forEach(LOG::warning);
        startup.state().notes().forEach(LOG::info);
        int fresh = startup.state().fresh();
        if (fresh > 0) LOG.info(fresh + " clients new in clients.conf (no saved state for them)");
        LOG.info(startup.readingNote());

        ListenSocket.Listener listening;
        try {
            listening = ListenSocket.open(settings);
        } catch (IOException e) {
            LOG.log(LogLevel.CRITICAL, e.getMessage());
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        Path pidFile = options.detachedChild ? Detach.writePidFile() : null;
        Operations operations;
        try {
            operations = rehearsal == null ? Operations.open(operationsSettings, PROGRAM)
                    : Operations.isolated(operationsSettings);
        } catch (IOException e) {
            LOG.log(LogLevel.CRITICAL, e.getMessage());
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }

        PrivilegedFileReader configReader;
        try {
            // Before the drop: its thread keeps the capability to read root's clients.conf.
            configReader = PrivilegedFileReader.startIfRoot();
        } catch (PrivilegeException e) {
            LOG.log(LogLevel.CRITICAL, e.getMessage());
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        try {
            startup.state().handOver().forEach(LOG::warning);
        } catch (IOException e) {
            LOG.log(LogLevel.CRITICAL, "cannot hand the state directory over: " + e.getMessage());
            err.println(PROGRAM + ": error: cannot hand the state directory over: " + e.getMessage());
            return EXIT_FAILURE;
        }
        EtcdClient etcd;
        try {
            etcd = ClusterSetup.connect(settings.cluster()); // before the drop: its key files may be root's
        } catch (EtcdException e) {
            LOG.log(LogLevel.CRITICAL, "Cannot use etcd: " + e.getMessage());
            err.println(PROGRAM + ": error: cannot use etcd: " + e.getMessage());
            return EXIT_FAILURE;
        }
        try {
            if (rehearsal == null) {
                Privileges.dropIfRoot(configReader); // logs what it did
                // Last: the kernel makes a process dumpable again when its credentials change.
                ProcessHardening.apply();
            } else {
                // What the drop and the hardening look at, leaving the check's process as it is.
                if (Privileges.isRoot()) Privileges.unprivilegedAccount();
                ProcessHardening.attachDisabled();
            }
        } catch (PrivilegeException | PosixException e) {
            // Serving secrets as root is exactly what the seed promises not to do: refuse.
            LOG.log(LogLevel.CRITICAL, e.getMessage());
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }

        if (!Files.isWritable(settings.stateDir())) {
            // Found now rather than at the first save, which would only be retried and logged.
            String why = settings.stateDir() + " is not writable by the server's unprivileged user (can it reach it?)";
            LOG.log(LogLevel.CRITICAL, "Cannot save state: " + why);
            err.println(PROGRAM + ": error: cannot save state: " + why);
            return EXIT_FAILURE;
        }
        CountDownLatch stop = rehearsal == null ? new CountDownLatch(1) : rehearsal.stop();
        AtomicBoolean armingFailed = new AtomicBoolean();
        SystemScheduler scheduler = new SystemScheduler();
        ClientRegistry registry = new ClientRegistry(startup.state().clients(), startup.state().restored(), scheduler,
                new CheckerRunner());
        StateSaver saver = new StateSaver(startup.state().store(), registry::snapshot, registry::configuredSecret,
                StateSaver.DEFAULT_BOOKKEEPING_DELAY);
        registry.setPersistence(new SaverPersistence(saver));
        saver.setOutcomes(operations::stateSave);
        ExecutorService checkerStarter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "checker-starter");
            t.setDaemon(true);
            return t;
        });
        registry.setCheckerExecutor(checkerStarter);
        ClusterNode cluster = etcd == null ? null
                : ClusterSetup.join(settings.cluster(), etcd, registry, options.clusterServeCache);
        try {
            operations.attach(registry);
            if (cluster != null) operations.cluster(cluster);
        } catch (IOException e) {
            LOG.log(LogLevel.CRITICAL, e.getMessage());
            err.println(PROGRAM + ": error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        MandosDBus dbus = null;
        ServerHandshake handshake = new ServerHandshake(startup.tlsPolicy());
        try (MandosServer server = new MandosServer(listening, registry, handshake, connectionLimits(settings))) {
            // Handlers first: once the D-Bus name is taken, a supervisor may stop us at any moment.
            if (rehearsal == null) handleSignals(stop, new ReloadRequests(() -> operations.reloading(
                    () -> reload(settings, registry, configReader::readAllBytes))));
            if (rehearsal == null && Lifeline.wanted()) Lifeline.watch(System.in, () -> {
                // Said, so that the option set by mistake outside a training explains a quick exit.
                LOG.info("Standard input closed (" + Lifeline.option() + "): stopping");
                stop.countDown();
            });
            // D-Bus objects before checkers and connections start, as the original (spec §9).
            dbus = settings.useDbus() ? startDbus(settings, registry, server.localAddress().getPort(), cluster) : null;
            // The clients' timers are armed beside the first connections: with 100,000 clients that
            // is half a second no booting client waits for (see ClientRegistry.start(Executor)).
            registry.start(arming -> Thread.ofPlatform().name("timers-start").daemon().start(() -> {
                try {
                    arming.run();
                } catch (RuntimeException | Error e) {
                    // Clients without timers would never expire: a server in that state stops.
                    LOG.log(LogLevel.CRITICAL, "Cannot arm the clients' timers", e);
                    armingFailed.set(true);
                    stop.countDown();
                }
            }));
            // Soon, not now: a crash before it only means the same merge is made again at the next
            // start, and writing 100,000 clients must not delay listening.
            saver.markDirty();
            server.start();
            var local = server.localAddress();
            LOG.info("Now listening on address '" + PeerAddress.format(local.getAddress(), false)
                    + "', port " + local.getPort());
            LOG.fine(() -> "TLS key exchange and signature checks by " + handshake.curves() + ", records by "
                    + handshake.records());
            ServiceAnnouncer announcer;
            try {
                announcer = settings.zeroconf() ? Zeroconf.start(startup.zeroconf(local.getPort()),
                        (oldName, newName) -> LogSetup.rename(PROGRAM + " (" + newName + ")")) : null;
            } catch (ZeroconfException e) {
                // As the original, which exits when it cannot announce through Avahi: a server
                // that booting clients cannot find is a failed start (systemd restarts it).
                LOG.log(LogLevel.CRITICAL, "Zeroconf: " + e.getMessage());
                return EXIT_FAILURE;
            }
            // A resource of its own, so it is withdrawn before the server closes: no client is sent
            // to a closed port.
            try (announcer) {
                if (demo != null) demo.printInstructions(System.out, local.getPort());
                if (options.detachedChild) Detach.signalReady();
                operations.serving(registry, server, scheduler);
                if (rehearsal != null) rehearsal.serving(local);
                stop.await();
                LOG.info("Shutting down");
            }
            if (armingFailed.get()) return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The server is closed already (no more connections). Timers and checkers stop first: the
            // withdrawal from D-Bus may wait seconds for a slow bus, and no checker may start meanwhile.
            // Changes made over D-Bus or by the cluster until then are kept by the final save.
            registry.close();
            if (dbus != null) dbus.close();
            if (cluster != null) cluster.close(); // leaves: the others stop waiting for this server
            checkerStarter.shutdownNow();
            try {
                saver.close();
            } catch (IOException e) {
                LOG.log(LogLevel.CRITICAL, "Could not save state at shutdown: " + IoErrors.describe(e));
            }
            scheduler.close();
            operations.close();
            if (pidFile != null) Detach.removePidFile(pidFile);
        }
        return EXIT_OK;
    }

    /** TERM and INT stop the server, HUP reloads clients.conf. */
    private static void handleSignals(CountDownLatch stop, ReloadRequests reloads) {
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        if (Signals.unignore(Signals.SIGHUP)) LOG.info("SIGHUP was ignored by whoever started the server; it reloads now");
        Signal.handle(new Signal("HUP"), s -> reloads.request());
    }

    /** A detached server logs to syslog; a rehearsal to the check's console; else the console or the journal. */
    private LogSetup.Target logTarget(ServerOptions options) {
        if (rehearsal != null) return LogSetup.Target.CONSOLE;
        return options.detachedChild ? LogSetup.Target.SYSLOG : LogSetup.consoleOrJournal();
    }

    /** Adapts the state saver to the registry: a change that is not durable is the caller's error. */
    private record SaverPersistence(StateSaver saver) implements Persistence {
        @Override public void awaitDurable() {
            try {
                saver.awaitDurable();
            } catch (IOException e) {
                throw new StateNotDurableException(IoErrors.describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateNotDurableException("interrupted while waiting for the save", e);
            }
        }

        @Override public void markUrgent() {
            saver.markUrgent();
        }

        @Override public void markDirty() {
            saver.markDirty();
        }
    }

    /** The D-Bus API, or null (logged) when the bus or the names cannot be had (spec §7.1). */
    private static ConnectionLimits connectionLimits(ServerSettings settings) {
        ConnectionLimits limits = ConnectionLimits.defaults();
        Integer perAddress = settings.maxUnauthenticatedPerAddress();
        return perAddress == null ? limits : limits.withMaxUnauthenticatedPerAddress(perAddress);
    }

    private static MandosDBus startDbus(ServerSettings settings, ClientRegistry registry, int port,
            ClusterNode cluster) {
        var info = new MandosDBus.ServerInfo(settings.address(), port, settings.interfaceName(),
                settings.serviceName(), cluster == null ? null
                        : new MandosDBus.Cluster(() -> cluster.status().describe(), () -> cluster.status().storeReachable()));
        try {
            return MandosDBus.start(registry, info, MandosDBus.systemBusAddress());
        } catch (MandosDBus.UnavailableException e) {
            LOG.log(Level.SEVERE, "Disabling D-Bus: " + e.getMessage());
            return null;
        }
    }

    /**
     * SIGHUP: read clients.conf again; on any error keep the clients we have (the original exits).
     * The files are read with {@code files}, which can read root's after privileges are dropped.
     */
    private static void reload(ServerSettings settings, ClientRegistry registry, ConfigFileReader files) {
        Path file = settings.configDir().resolve(Startup.CLIENTS_CONF);
        try {
            List<ClientConfig> clients = Startup.checkCheckers(ClientsConfReader.read(file, files));
            // The same merge as at a restart: clients.conf wins only for the lines it changed. The
            // registry makes it against the live state and installs it atomically.
            ReloadMerge merge = new ReloadMerge(clients);
            try {
                registry.reconfigure(merge);
            } catch (StateNotDurableException e) {
                merge.notes.forEach(LOG::info);
                LOG.log(Level.SEVERE, "Reloaded " + file + ": " + merge.installed.configs().size() + " clients; "
                        + e.getMessage());
                return;
            }
            merge.notes.forEach(LOG::info);
            List<ClientConfig> serve = merge.installed.configs();
            LOG.warning("Reloaded " + file + ": " + serve.size() + " clients");
        } catch (ConfigException e) {
            LOG.log(Level.SEVERE, "Not reloaded, keeping the clients as they were: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Not reloaded, keeping the clients as they were", e);
        }
    }

    /** The restart merge rules applied to a reload; remembers what the last merge said and made. */
    private static final class ReloadMerge implements Function<SavedState, ClientRegistry.Reconfiguration> {
        private final List<ClientConfig> file;
        List<String> notes = List.of();
        ClientRegistry.Reconfiguration installed;

        ReloadMerge(List<ClientConfig> file) {
            this.file = file;
        }

        @Override
        public ClientRegistry.Reconfiguration apply(SavedState live) {
            StateMerge.Result merged = StateMerge.merge(live, file, Instant.now());
            Map<String, ClientSnapshot> restored = new LinkedHashMap<>();
            List<ClientConfig> serve = new ArrayList<>();
            for (StateMerge.RestoredClient rc : merged.clients()) {
                serve.add(rc.config());
                if (rc.state() != null) restored.put(rc.config().name(), rc.state());
            }
            notes = new ArrayList<>();
            for (String name : merged.fresh()) notes.add("client " + name + ": new in clients.conf");
            notes.addAll(merged.notes());
            installed = new ClientRegistry.Reconfiguration(serve, restored);
            return installed;
        }
    }

    /** The original prefixes log lines with the service name when it is not the default. */
    private static String settingsPrefix(ServerSettings settings) {
        return "Mandos".equals(settings.serviceName()) ? PROGRAM
                : PROGRAM + " (" + settings.serviceName() + ")";
    }
}
