package org.mandosjava.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The committed vectors produced by src/test/python/make_config_vectors.py. */
final class ConfigVectors {
    static final String RESOURCE = "/config-vectors.json";

    private ConfigVectors() {}

    static String text() {
        try (InputStream in = ConfigVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> all() {
        return (Map<String, Object>) MiniJson.parse(text());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> vectors, String key) {
        return (List<Map<String, Object>>) vectors.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** [[k, v], ...] as a list of "k=v" strings, so that order and content compare at once. */
    @SuppressWarnings("unchecked")
    static List<String> pairs(Object o) {
        return ((List<List<String>>) o).stream().map(p -> p.get(0) + "=" + p.get(1)).toList();
    }
}
