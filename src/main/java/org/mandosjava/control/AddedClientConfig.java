package org.mandosjava.control;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.IniFile;
import org.mandosjava.server.CheckerCommand;

/**
 * The client an {@code AddClient(name, options)} call describes. The options are clients.conf keys
 * with their values written exactly as in a clients.conf section (durations, booleans, base64
 * {@code secret}, {@code %%(host)s} in a checker), read by the same parser with the built-in
 * defaults; the [DEFAULT] section of the server's clients.conf does not apply. {@code secfile} is
 * refused: it would let a caller have the server (as its own user) read a file the caller may not
 * read, and hand its content to whoever holds the client key.
 */
final class AddedClientConfig {
    /** Where errors say the section came from. */
    static final Path SOURCE = Path.of("<D-Bus AddClient>");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

    private AddedClientConfig() {}

    static ClientConfig parse(String name, Map<String, String> options) throws DBusError {
        if (name.isEmpty() || name.contains("\n") || name.contains("\r") || name.equals(IniFile.DEFAULT_SECTION)) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "invalid client name: " + quoted(name));
        }
        Map<String, String> section = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            String value = option.getValue();
            if (key.equalsIgnoreCase("secfile")) {
                throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "secfile is not accepted here; give the secret (base64)");
            }
            if (!KEY.matcher(key).matches()) {
                throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "invalid option name: " + quoted(key));
            }
            // A base64 secret may come wrapped, as mandos-keygen prints it; nothing else may span lines.
            if (key.equalsIgnoreCase("secret")) value = value.replaceAll("\\s+", "");
            if (value.contains("\n") || value.contains("\r")) {
                throw new DBusError(DBusNames.ERROR_INVALID_ARGS, key + ": a value must be one line");
            }
            section.put(key, value);
        }
        try {
            ClientConfig config = ClientsConf.section(SOURCE, name, section);
            if (config == null) throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "invalid client name: " + quoted(name));
            String problem = CheckerCommand.problem(config.checker());
            if (problem != null) throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "checker: " + problem);
            if (config.keyId().isEmpty()) throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "key_id is required");
            return config;
        } catch (ConfigException e) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, e.getMessage());
        }
    }

    private static String quoted(String s) {
        return "'" + s + "'";
    }
}
