package org.mandosjava.config;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
/** TEMPORARY STUB until the config branch lands. */
public final class ClientsConf {
    private ClientsConf() {}
    public static List<ClientConfig> load(Path file) throws ConfigException { return List.of(); }
    public static Optional<String> exposureWarning(Path file) { return Optional.empty(); }
}
