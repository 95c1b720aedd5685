package org.mandosjava.control;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Object paths of client objects: valid for any client name and unique among the clients present.
 *
 * <p>The original uses {@code /clients/} + the name with every {@code .} and {@code -} replaced by
 * {@code _}: other characters make an invalid path (it crashes), and {@code a.b}, {@code a-b} and
 * {@code a_b} collide (spec §15.3 item 8). Tools find clients by their {@code Name} property, but
 * scripts may have the original's paths written down, so:
 * <ol>
 * <li>A name made only of {@code [A-Za-z0-9_.-]} gets the original's path, unless another present
 *     client already has that path (the first in clients.conf order, or the earlier added, keeps it).
 * <li>Any other name, or one whose original path is taken, gets an escaped element: {@code _} followed
 *     by its UTF-8 bytes, ASCII letters and digits as themselves and every other byte as {@code _}
 *     and two lower-case hex digits. This encoding is injective (each {@code _} is followed by exactly
 *     two hex digits), so two names never share an escaped path; should one still equal a path in
 *     use (only a name shaped like another's escape can do that), {@code _n} counters make it unique.
 * </ol>
 * A path is freed when its client is removed. Not thread-safe: the caller serialises.
 */
final class ClientPaths {
    private final Map<String, String> pathByName = new HashMap<>();
    private final Map<String, String> nameByPath = new HashMap<>();

    /** The original's path for {@code name}, or null if the original cannot make a valid one. */
    static String originalPath(String name) {
        if (name.isEmpty()) return null;
        char[] element = new char[name.length()];
        for (int i = 0; i < element.length; i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '-') c = '_';
            else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) return null;
            element[i] = c;
        }
        return DBusNames.CLIENTS_PATH + "/" + new String(element);
    }

    /** The escaped path element of {@code name} (point 2 above), without any counter. */
    static String escapedPath(String name) {
        StringBuilder sb = new StringBuilder(DBusNames.CLIENTS_PATH).append("/_");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append((char) c);
            } else {
                sb.append('_').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return sb.toString();
    }

    /** Gives {@code name} a path (the one it has, if any). */
    String assign(String name) {
        String existing = pathByName.get(name);
        if (existing != null) return existing;
        String path = originalPath(name);
        if (path == null || nameByPath.containsKey(path)) {
            String escaped = escapedPath(name);
            path = escaped;
            for (int n = 2; nameByPath.containsKey(path); n++) path = escaped + "_" + n;
        }
        pathByName.put(name, path);
        nameByPath.put(path, name);
        return path;
    }

    String pathOf(String name) {
        return pathByName.get(name);
    }

    String nameAt(String path) {
        return nameByPath.get(path);
    }

    void release(String name) {
        String path = pathByName.remove(name);
        if (path != null) nameByPath.remove(path);
    }
}
