package org.mandosjava.config;

import org.mandosjava.platform.IoErrors;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Reads clients.conf the way the Mandos 1.8.16 server does (spec §2.3, {@code Client.config_parser}):
 * every section but [DEFAULT] is a client; all of a section's options (with [DEFAULT]'s and the
 * built-in defaults) are interpolated ({@code %(name)s}, {@code %%}); then booleans, key_id and
 * fingerprint, the secret (base64 {@code secret}, else the raw bytes of {@code secfile}) and the
 * durations are interpreted, in that order.
 * <p>
 * The first problem found stops loading and is thrown as a {@link ConfigException} naming file,
 * line and key (Python likewise stops at the first exception). Deliberate differences from 1.8.16:
 * a section without {@code fingerprint} is valid (fingerprint ""; 1.8.16 crashes, 1.8.17 fixed it),
 * and a missing clients.conf is an error (1.8.16 silently starts with no clients, logging only
 * "No clients defined").
 */
public final class ClientsConf {
    /** Client.client_defaults of Mandos 1.8.16, in its order. */
    public static final Map<String, String> BUILT_IN_DEFAULTS = builtInDefaults();

    private ClientsConf() {}

    private static Map<String, String> builtInDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("timeout", "PT5M");
        m.put("extended_timeout", "PT15M");
        m.put("interval", "PT2M");
        m.put("checker", "fping -q -- %%(host)s");
        m.put("host", "");
        m.put("approval_delay", "PT0S");
        m.put("approval_duration", "PT1S");
        m.put("approved_by_default", "True");
        m.put("enabled", "True");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Loads clients.conf with the process's environment for {@code secfile} paths. */
    public static List<ClientConfig> load(Path file) throws ConfigException {
        return load(file, PathExpansion.system());
    }

    /** Loads clients.conf, expanding {@code secfile} paths with the given environment. */
    public static List<ClientConfig> load(Path file, PathExpansion expansion) throws ConfigException {
        try {
            Streamed streamed = new Streamed(file, expansion);
            if (IniParser.stream(file, BUILT_IN_DEFAULTS, streamed::add)) return streamed.finish();
            // [DEFAULT] changed after a client's section: Python applies it to every section, so
            // read the whole file first (rare, and only costs memory).
            return clients(IniParser.read(file, BUILT_IN_DEFAULTS), expansion);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null,
                    "cannot read the clients file: No such file or directory", e);
        } catch (IOException e) {
            throw new ConfigException(file, 0, null,
                    "cannot read the clients file: " + IoErrors.reason(e), e);
        }
    }

    /**
     * One client made from option texts, as if they were a section {@code [name]} of a clients.conf
     * read from {@code source} with only the built-in defaults (no [DEFAULT] section of a file):
     * a client added at runtime. Values must be one line each.
     *
     * @return the client, or null if the text makes not exactly one client of that name (a name
     *     the section syntax cannot hold)
     * @throws ConfigException naming {@code source} and the option that is wrong
     */
    public static ClientConfig section(Path source, String name, Map<String, String> options)
            throws ConfigException {
        StringBuilder text = new StringBuilder("[").append(name).append("]\n");
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (option.getValue().contains("\n") || option.getValue().contains("\r")) {
                throw new ConfigException(source, 0, option.getKey(), "a value must be one line");
            }
            text.append(option.getKey()).append(" = ").append(option.getValue()).append('\n');
        }
        List<ClientConfig> clients = clients(IniParser.parse(source, text.toString(), BUILT_IN_DEFAULTS),
                PathExpansion.system());
        return clients.size() == 1 && clients.get(0).name().equals(name) ? clients.get(0) : null;
    }

    /**
     * Interprets an already parsed clients.conf (built with {@link #BUILT_IN_DEFAULTS}). If several
     * sections are wrong, the first in the file is reported, as when reading them in order.
     */
    public static List<ClientConfig> clients(IniFile ini, PathExpansion expansion) throws ConfigException {
        return clients(ini, expansion, ConfigFileReader.DIRECT);
    }

    /** As {@link #clients(IniFile, PathExpansion)}, reading {@code secfile}s with {@code files}. */
    public static List<ClientConfig> clients(IniFile ini, PathExpansion expansion, ConfigFileReader files)
            throws ConfigException {
        Shared shared = new Shared(files);
        List<ClientConfig> clients = new ArrayList<>();
        ConfigException error = interpret(ini, ini.sections(), expansion, shared, clients);
        if (error != null) throw error;
        return clients;
    }

    /**
     * Interprets sections into {@code out}, on all cores when there are many (sections are
     * independent, and 100,000 clients must not make startup slow).
     *
     * @return the error of the first section in error (the ones before it are in {@code out}), or null
     */
    private static ConfigException interpret(IniFile ini, List<IniSection> sections, PathExpansion expansion,
            Shared shared, List<ClientConfig> out) {
        ClientConfig[] clients = new ClientConfig[sections.size()];
        ConfigException[] errors = new ConfigException[sections.size()];
        IntStream range = IntStream.range(0, sections.size());
        (sections.size() >= PARALLEL_FROM ? range.parallel() : range).forEach(i -> {
            try {
                clients[i] = client(ini, sections.get(i), expansion, shared);
            } catch (ConfigException e) {
                errors[i] = e;
            }
        });
        for (int i = 0; i < clients.length; i++) {
            if (errors[i] != null) return errors[i];
            out.add(clients[i]);
        }
        return null;
    }

    /**
     * Sections as the parser finishes them, each interpreted at once, so that a section's text (most
     * of it a secret's base64) is garbage before the next young collection. Holding 4,096 sections
     * back to interpret them in parallel kept them alive across collections: with 100,000 clients on
     * 2 cores, the heap after start was 50-60 MB larger and the start slower.
     */
    private static final class Streamed {
        private final Path file;
        private final PathExpansion expansion;
        private final Shared shared = new Shared(ConfigFileReader.DIRECT);
        private final List<ClientConfig> clients = new ArrayList<>();
        private ConfigException firstError;

        Streamed(Path file, PathExpansion expansion) {
            this.file = file;
            this.expansion = expansion;
        }

        void add(IniSection section, IniSection defaults) {
            if (firstError != null) return; // only the parser's own errors can still come first
            try {
                clients.add(client(new IniFile(file, defaults, List.of(section)), section, expansion, shared));
            } catch (ConfigException e) {
                firstError = e;
            }
        }

        List<ClientConfig> finish() throws ConfigException {
            if (firstError != null) throw firstError;
            return clients;
        }
    }

    /** Below this many clients, splitting the work costs more than it saves. */
    private static final int PARALLEL_FROM = 1000;

    /**
     * One copy of each option name, value text and duration across clients: most come from
     * [DEFAULT], and with 100,000 clients a copy per client was a third of their memory.
     */
    private static final class Shared {
        private final Map<String, String> texts = new ConcurrentHashMap<>();
        private final Map<String, Duration> durations = new ConcurrentHashMap<>();
        private final Map<List<String>, OptionMap.Shape> shapes = new ConcurrentHashMap<>();
        private final ConfigFileReader files;

        Shared(ConfigFileReader files) {
            this.files = files;
        }

        String text(String text) {
            String existing = texts.putIfAbsent(text, text);
            return existing == null ? text : existing;
        }

        /** The shared keys of clients with exactly these option names in this order. */
        OptionMap.Shape shape(List<String> keys) {
            OptionMap.Shape known = shapes.get(keys);
            if (known != null) return known;
            OptionMap.Shape made = new OptionMap.Shape(keys);
            OptionMap.Shape raced = shapes.putIfAbsent(made.keys(), made);
            return raced == null ? made : raced;
        }

        /** @throws IllegalArgumentException as {@link Durations#parse}; failures are not cached */
        Duration duration(String text) {
            Duration known = durations.get(text);
            if (known != null) return known;
            Duration parsed = Durations.parse(text);
            durations.putIfAbsent(text, parsed);
            return parsed;
        }
    }

    private static ClientConfig client(IniFile ini, IniSection section, PathExpansion expansion,
            Shared shared) throws ConfigException {
        Map<String, IniValue> items = BasicInterpolation.items(ini, section.name());
        Values v = new Values(ini.file(), section.name(), section.line(), items, shared);
        String host = v.text("host");
        boolean approvedByDefault = v.bool("approved_by_default");
        boolean enabled = v.bool("enabled");
        String keyId = normalizedId(v.textOrEmpty("key_id"));
        String fingerprint = normalizedId(v.textOrEmpty("fingerprint"));
        byte[] secret = secret(v, expansion);
        Duration timeout = v.duration("timeout");
        Duration extendedTimeout = v.duration("extended_timeout");
        Duration interval = v.duration("interval");
        Duration approvalDelay = v.duration("approval_delay");
        Duration approvalDuration = v.duration("approval_duration");
        String checker = v.text("checker");
        v.keyExpiry();
        List<String> keys = new ArrayList<>(items.size());
        String[] values = new String[items.size() - (items.containsKey("secret") ? 1 : 0)];
        int lowered = 0;
        for (Map.Entry<String, IniValue> item : items.entrySet()) {
            String k = item.getKey();
            if (k.equals("secret")) continue;
            int i = keys.size();
            keys.add(shared.text(k));
            // A client's own key_id and fingerprint are unique: no point looking them up among the
            // shared texts. Their compared forms are in upper case: a fingerprint is usually written
            // so, a key_id in lower case (held as the compared form, marked to be read lowered).
            String text = item.getValue().text();
            String compared = k.equals("key_id") ? keyId : k.equals("fingerprint") ? fingerprint : null;
            if (compared == null) {
                values[i] = shared.text(text);
            } else if (text.equals(compared)) {
                values[i] = compared;
            } else if (OptionMap.lowerable(text, compared, i)) {
                values[i] = compared;
                lowered |= OptionMap.bit(i);
            } else {
                values[i] = text;
            }
        }
        OptionMap options = shared.shape(keys).with(values, lowered);
        return new ClientConfig(section.name(), keyId, fingerprint, secret, shared.text(host),
                shared.text(checker), timeout,
                extendedTimeout, interval, approvalDelay, approvalDuration, approvedByDefault, enabled,
                options, ini.file(), section.line());
    }

    /**
     * A configured key_id or fingerprint in the form it is compared in, the original's
     * {@code value.upper().replace(" ", "")}: the one place that form is defined.
     */
    public static String normalizedId(String value) {
        return PyText.upper(value).replace(" ", "");
    }

    private static byte[] secret(Values v, PathExpansion expansion) throws ConfigException {
        IniValue secret = v.items.get("secret");
        if (secret != null) {
            try {
                return LenientBase64.decode(secret.text());
            } catch (IllegalArgumentException e) {
                throw v.error(secret, "secret", e.getMessage());
            }
        }
        IniValue secfile = v.items.get("secfile");
        if (secfile == null) {
            throw new ConfigException(v.file, v.sectionLine, "[" + v.section + "]",
                    "no secret or secfile");
        }
        String expanded = expansion.expand(secfile.text());
        if (expanded.isEmpty()) {
            // Path.of("") would be the working directory; Python's open("") finds no file.
            throw v.error(secfile, "secfile", "cannot read \"\": No such file or directory");
        }
        try {
            return v.shared.files.readAllBytes(Path.of(expanded));
        } catch (InvalidPathException e) {
            throw v.error(secfile, "secfile", "cannot read \"" + expanded + "\": " + e.getReason());
        } catch (IOException e) {
            throw v.error(secfile, "secfile", "cannot read \"" + expanded + "\": " + IoErrors.reason(e));
        }
    }

    /** The interpolated options of one section, read with errors that point at them. */
    private static final class Values {
        final Path file;
        final String section;
        final int sectionLine;
        final Map<String, IniValue> items;

        final Shared shared;

        Values(Path file, String section, int sectionLine, Map<String, IniValue> items, Shared shared) {
            this.shared = shared;
            this.file = file;
            this.section = section;
            this.sectionLine = sectionLine;
            this.items = items;
        }

        String text(String key) {
            return items.get(key).text();
        }

        String textOrEmpty(String key) {
            IniValue value = items.get(key);
            return value == null ? "" : value.text();
        }

        boolean bool(String key) throws ConfigException {
            IniValue value = items.get(key);
            try {
                return Booleans.parse(value.text());
            } catch (IllegalArgumentException e) {
                throw error(value, key, e.getMessage());
            }
        }

        Duration duration(String key) throws ConfigException {
            IniValue value = items.get(key);
            try {
                return Durations.checkSetting(shared.duration(value.text()), "\"" + value.text() + "\"");
            } catch (IllegalArgumentException e) {
                throw error(value, key, e.getMessage());
            }
        }

        /** Checks the optional key_expires and key_expiry_warning (our additions; Python ignores them). */
        void keyExpiry() throws ConfigException {
            IniValue expires = items.get(KeyExpiryDates.KEY);
            if (expires != null && !expires.text().isBlank()) {
                try {
                    KeyExpiryDates.parse(expires.text());
                } catch (IllegalArgumentException e) {
                    throw error(expires, KeyExpiryDates.KEY, e.getMessage());
                }
            }
            IniValue warning = items.get(ClientConfig.KEY_EXPIRY_WARNING);
            if (warning != null && !warning.text().isBlank()) {
                try {
                    shared.duration(warning.text()); // not a timer: no upper bound (a site may warn 90 days ahead)
                } catch (IllegalArgumentException e) {
                    throw error(warning, ClientConfig.KEY_EXPIRY_WARNING, e.getMessage());
                }
            }
        }

        /** Names the section too when the value was inherited from [DEFAULT] or built in. */
        ConfigException error(IniValue value, String key, String problem) {
            return new ConfigException(file, value.line(), key, problem + " (client [" + section + "])");
        }
    }
}
