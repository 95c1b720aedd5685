package org.mandosjava.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.ConfigFileReader;
import org.mandosjava.config.IniParser;
import org.mandosjava.config.PathExpansion;
import org.mandosjava.platform.IoErrors;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.state.ClientSnapshot;
import org.mandosjava.state.StateMerge;

/**
 * SIGHUP: clients.conf read again and installed, on one thread of its own, so reloads happen one
 * at a time and in the order asked for. Requests made while a reload runs coalesce into one more
 * reload after it, which reads the file as it is then. The files are read through the given reader
 * (the server's {@code PrivilegedFileReader}, so that a root-only clients.conf and secfiles are read
 * after privileges are dropped). On any error the clients stay as they were (the original exits).
 */
final class ClientsReload implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClientsReload.class.getName());

    private final Path file;
    private final ClientRegistry registry;
    private final ConfigFileReader reader;
    /** Holds at most one pending request: a second one asked for meanwhile is the same reload. */
    private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    ClientsReload(Path file, ClientRegistry registry, ConfigFileReader reader) {
        this.file = file;
        this.registry = registry;
        this.reader = reader;
        this.thread = Thread.ofVirtual().name("clients-reload").start(this::serve);
    }

    /**
     * Asks for a reload; returns at once (a signal handler calls it).
     *
     * @return false if a reload not yet started was already asked for (this request joins it)
     */
    boolean request() {
        return pending.offer(Boolean.TRUE);
    }

    @Override
    public void close() {
        thread.interrupt();
    }

    private void serve() {
        try {
            while (true) {
                pending.take();
                reload();
            }
        } catch (InterruptedException e) {
            // Shutting down.
        }
    }

    /** Reads clients.conf and installs it; logs the outcome. */
    void reload() {
        try {
            List<ClientConfig> clients = Startup.checkCheckers(read());
            // The same merge as at a restart: clients.conf wins only for the lines it changed.
            StateMerge.Result merged = StateMerge.merge(registry.snapshot(), clients, Instant.now());
            merged.notes().forEach(LOG::info);
            Map<String, ClientSnapshot> restored = new LinkedHashMap<>();
            List<ClientConfig> serve = new ArrayList<>();
            for (StateMerge.RestoredClient rc : merged.clients()) {
                serve.add(rc.config());
                if (rc.state() != null) restored.put(rc.config().name(), rc.state());
            }
            registry.reconfigure(serve, restored);
            LOG.warning("Reloaded " + file + ": " + serve.size() + " clients");
        } catch (ConfigException e) {
            LOG.log(Level.SEVERE, "Not reloaded, keeping the clients as they were: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Not reloaded, keeping the clients as they were", e);
        }
    }

    private List<ClientConfig> read() throws ConfigException {
        byte[] bytes;
        try {
            bytes = reader.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read the clients file: " + IoErrors.reason(e), e);
        }
        String text = decode(file, bytes);
        return ClientsConf.clients(IniParser.parse(file, text, ClientsConf.BUILT_IN_DEFAULTS), PathExpansion.system(),
                reader::readAllBytes);
    }

    /** Strict UTF-8, as Python reads the file; the error names the line of the first bad byte. */
    static String decode(Path file, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(file, line, null, "not valid UTF-8 text");
        }
        return out.flip().toString();
    }
}
