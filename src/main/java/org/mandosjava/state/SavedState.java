package org.mandosjava.state;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a server saves of itself: its clients' runtime state and the clients.conf it ran with.
 *
 * @param configAtSave per client name, {@code ClientConfig.options()} as they were when saved (the
 *     "old config" of the restart merge, spec §8), each held as given: a client's options must not
 *     change afterwards. A client removed at runtime is here but not in {@code clients}
 * @param clients the clients that existed when saved, by name
 * @param savedAt when the state was taken
 */
public record SavedState(
        Map<String, Map<String, String>> configAtSave,
        Map<String, ClientSnapshot> clients,
        Instant savedAt) {

    public SavedState {
        Objects.requireNonNull(savedAt, "savedAt");
        configAtSave = copyNested(configAtSave);
        clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
        for (var e : clients.entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("client saved under another name: " + e.getKey());
            }
        }
    }

    /**
     * Copies the outer map, preserving order (clients.conf order), which the file keeps for readable
     * diffs. Each client's options are kept as an unmodifiable view, not copied: they are that
     * client's options as read, which nobody changes, and every save of 100,000 clients would
     * otherwise copy 100,000 maps only to write them out.
     */
    private static Map<String, Map<String, String>> copyNested(Map<String, Map<String, String>> in) {
        Map<String, Map<String, String>> out = LinkedHashMap.newLinkedHashMap(in.size());
        in.forEach((name, options) -> out.put(name, Collections.unmodifiableMap(options)));
        return Collections.unmodifiableMap(out);
    }
}
