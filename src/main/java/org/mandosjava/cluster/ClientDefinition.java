package org.mandosjava.cluster;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;
import org.mandosjava.config.IniFile;
import org.mandosjava.config.IniParser;
import org.mandosjava.config.PathExpansion;

/**
 * A client added at runtime, as its record carries it to the other servers: its clients.conf
 * options (interpolated already, as the adding server read them), read back by the same parser
 * with the secret beside them. Options that name a local file ({@code secfile}) are not carried:
 * another server's files are not this one's.
 */
final class ClientDefinition {
    /** Where errors say an added client's definition came from. */
    static final Path SOURCE = Path.of("<cluster: client added on another server>");

    private ClientDefinition() {}

    static Map<String, String> of(ClientConfig config) {
        Map<String, String> options = new LinkedHashMap<>(config.options());
        options.remove("secfile");
        options.remove("secret");
        return options;
    }

    /** @throws ConfigException if the definition does not make a client here */
    static ClientConfig toConfig(String name, Map<String, String> definition, byte[] secret) throws ConfigException {
        StringBuilder section = new StringBuilder("[").append(name).append("]\n");
        for (Map.Entry<String, String> option : definition.entrySet()) {
            String value = option.getValue();
            if (value.contains("\n") || value.contains("\r") || option.getKey().contains("\n")) {
                throw new ConfigException(SOURCE, 0, option.getKey(), "a value must be one line");
            }
            // Interpolated already: a % left in it is literal (a checker's runtime %(host)s).
            section.append(option.getKey()).append(" = ").append(value.replace("%", "%%")).append('\n');
        }
        section.append("secret = ").append(Base64.getEncoder().encodeToString(secret)).append('\n');
        IniFile ini = IniParser.parse(SOURCE, section.toString(), ClientsConf.BUILT_IN_DEFAULTS);
        List<ClientConfig> clients = ClientsConf.clients(ini, PathExpansion.system());
        if (clients.size() != 1 || !clients.get(0).name().equals(name)) {
            throw new ConfigException(SOURCE, 0, name, "not one client of that name");
        }
        return clients.get(0);
    }
}
