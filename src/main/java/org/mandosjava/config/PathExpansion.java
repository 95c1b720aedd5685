package org.mandosjava.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Mandos does to a {@code secfile} path: {@code os.path.expanduser(os.path.expandvars(p))}.
 * <ul>
 *   <li>{@code $NAME} (NAME = ASCII letters, digits, {@code _}) and {@code ${ANY}} are replaced by
 *       the environment variable; unknown variables stay as written; replacements are not expanded
 *       again;</li>
 *   <li>then a leading {@code ~} is the home directory ({@code $HOME}, else the account's), and
 *       {@code ~user} that user's home; an unknown user leaves the path unchanged.</li>
 * </ul>
 *
 * @param env the environment
 * @param currentUserHome the account's home, used when HOME is unset
 * @param userHomes a user name's home directory, if the user exists
 */
public record PathExpansion(Map<String, String> env, String currentUserHome,
        Function<String, Optional<String>> userHomes) {
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*})");
    private static final Path PASSWD = Path.of("/etc/passwd");

    /** The process's environment, home and the local user database (/etc/passwd). */
    public static PathExpansion system() {
        return new PathExpansion(System.getenv(), System.getProperty("user.home"),
                PathExpansion::passwdHome);
    }

    /** {@code os.path.expanduser(os.path.expandvars(path))}. */
    public String expand(String path) {
        return expandUser(expandVars(path));
    }

    /** {@code os.path.expandvars}. */
    public String expandVars(String path) {
        if (path.indexOf('$') < 0) return path;
        StringBuilder out = new StringBuilder();
        Matcher m = VARIABLE.matcher(path);
        int i = 0;
        while (m.find(i)) {
            String name = m.group(1);
            if (name.startsWith("{") && name.endsWith("}")) name = name.substring(1, name.length() - 1);
            String value = env.get(name);
            out.append(path, i, m.start());
            out.append(value != null ? value : m.group());
            i = m.end();
        }
        return out.append(path.substring(i)).toString();
    }

    /** {@code os.path.expanduser} (POSIX). */
    public String expandUser(String path) {
        if (!path.startsWith("~")) return path;
        int slash = path.indexOf('/', 1);
        if (slash < 0) slash = path.length();
        String home;
        if (slash == 1) {
            home = env.containsKey("HOME") ? env.get("HOME") : currentUserHome;
            if (home == null) return path;
        } else {
            Optional<String> found = userHomes.apply(path.substring(1, slash));
            if (found.isEmpty()) return path;
            home = found.get();
        }
        int end = home.length();
        while (end > 0 && home.charAt(end - 1) == '/') end--;
        String result = home.substring(0, end) + path.substring(slash);
        return result.isEmpty() ? "/" : result;
    }

    /** A user's home from /etc/passwd (NSS sources such as LDAP are not consulted). */
    static Optional<String> passwdHome(String user) {
        try {
            for (String line : Files.readAllLines(PASSWD, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 7 && f[0].equals(user)) return Optional.of(f[5]);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
