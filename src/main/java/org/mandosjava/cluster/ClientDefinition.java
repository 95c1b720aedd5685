package org.mandosjava.cluster;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mandosjava.config.ClientConfig;
import org.mandosjava.config.ClientsConf;
import org.mandosjava.config.ConfigException;

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
        Map<String, String> options = new LinkedHashMap<>();
        // Interpolated already: a % left in it is literal (a checker's runtime %(host)s).
        definition.forEach((key, value) -> options.put(key, value.replace("%", "%%")));
        options.put("secret", Base64.getEncoder().encodeToString(secret));
        ClientConfig config = ClientsConf.section(SOURCE, name, options);
        if (config == null) throw new ConfigException(SOURCE, 0, name, "not a client name here");
        return config;
    }
}
