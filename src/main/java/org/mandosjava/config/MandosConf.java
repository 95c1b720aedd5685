package org.mandosjava.config;

import org.mandosjava.platform.IoErrors;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads mandos.conf the way the Mandos 1.8.16 server does (spec §2.2): only [DEFAULT] matters,
 * string values are taken raw (no {@code %} interpolation, so {@code %PROFILE_ULTRA} may be written
 * as is), booleans and integers are read with {@code getboolean}/{@code getint} (which do
 * interpolate, as in Python). {@code configdir} and unknown keys are ignored; other sections are
 * ignored but must still be well-formed.
 * <p>
 * Deviations, all in the direction of saying more: a file that exists but cannot be read is an
 * error (Python silently uses the defaults); port must be 0..65535 and socket non-negative (Python
 * fails later, or not at all).
 */
public final class MandosConf {
    /** Largest TCP port. */
    private static final int MAX_PORT = 65_535;
    /** Not in the original: see ConnectionLimits. */
    public static final String MAX_UNAUTHENTICATED_KEY = "max_unauthenticated_per_address";

    private MandosConf() {}

    /**
     * Applies the file's [DEFAULT] over {@code base}; only keys present in the file change anything.
     * A missing file leaves {@code base} unchanged.
     */
    public static ServerSettings load(Path file, ServerSettings base) throws ConfigException {
        IniFile ini;
        try {
            ini = IniParser.read(file, Map.of());
        } catch (NoSuchFileException e) {
            return base;
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read: " + IoErrors.reason(e), e);
        }
        return apply(ini, base);
    }

    /** Applies an already parsed mandos.conf. */
    public static ServerSettings apply(IniFile ini, ServerSettings base) throws ConfigException {
        Map<String, IniValue> d = ini.defaults().options();
        ServerSettings.Builder b = base.toBuilder();
        if (d.containsKey("interface")) b.interfaceName = d.get("interface").text();
        if (d.containsKey("address")) b.address = d.get("address").text();
        if (d.containsKey("port")) b.port = integer(ini, "port", 0, MAX_PORT);
        if (d.containsKey("debug")) b.debug = bool(ini, "debug");
        if (d.containsKey("priority")) b.priority = d.get("priority").text();
        if (d.containsKey("servicename")) b.serviceName = d.get("servicename").text();
        if (d.containsKey("use_dbus")) b.useDbus = bool(ini, "use_dbus");
        if (d.containsKey("use_ipv6")) b.useIpv6 = bool(ini, "use_ipv6");
        if (d.containsKey("debuglevel")) b.debugLevel = d.get("debuglevel").text();
        if (d.containsKey("restore")) b.restore = bool(ini, "restore");
        if (d.containsKey("socket")) b.socket = integer(ini, "socket", 0, Integer.MAX_VALUE);
        if (d.containsKey("statedir")) b.stateDir = path(ini, "statedir");
        if (d.containsKey("foreground")) b.foreground = bool(ini, "foreground");
        if (d.containsKey("zeroconf")) b.zeroconf = bool(ini, "zeroconf");
        // Ours; the original ignores keys it does not know, so one file serves both servers.
        if (d.containsKey(MAX_UNAUTHENTICATED_KEY)) {
            b.maxUnauthenticatedPerAddress = integer(ini, MAX_UNAUTHENTICATED_KEY, 1, Integer.MAX_VALUE);
        }
        b.cluster = ClusterSettings.from(ini, b.cluster);
        return b.build();
    }

    private static boolean bool(IniFile ini, String key) throws ConfigException {
        IniValue v = BasicInterpolation.get(ini, IniFile.DEFAULT_SECTION, key);
        try {
            return Booleans.parse(v.text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.file(), v.line(), key, e.getMessage());
        }
    }

    /** An int if non-empty ({@code getint}), null (meaning "none") if empty. */
    private static Integer integer(IniFile ini, String key, int min, int max) throws ConfigException {
        if (ini.defaults().get(key).text().isEmpty()) return null;
        IniValue v = BasicInterpolation.get(ini, IniFile.DEFAULT_SECTION, key);
        BigInteger n = PyText.parseInt(PyText.strip(v.text()));
        if (n == null) {
            throw new ConfigException(ini.file(), v.line(), key, "not an integer: \"" + v.text() + "\"");
        }
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(ini.file(), v.line(), key,
                    "out of range: " + n + " (must be " + min + ".." + max + ")");
        }
        return n.intValueExact();
    }

    private static Path path(IniFile ini, String key) throws ConfigException {
        IniValue v = ini.defaults().get(key);
        try {
            return Path.of(v.text());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(ini.file(), v.line(), key, "not a valid path: " + e.getReason());
        }
    }
}
