package org.mandosjava.cluster.etcd;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's JSON shapes (proto3 JSON mapping): bytes are base64, 64-bit integers are strings,
 * and fields at their default value (0, false, empty, PUT) are left out, so every reader here treats
 * a missing field as its default. A field of the wrong type is an {@link IllegalArgumentException}.
 */
final class Wire {
    private static final byte[] NONE = new byte[0];

    private Wire() {}

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Map<String, Object> range(byte[] key, byte[] rangeEnd, long revision, long limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", b64(key));
        if (rangeEnd != null) m.put("range_end", b64(rangeEnd));
        if (revision > 0) m.put("revision", Long.toString(revision));
        if (limit > 0) m.put("limit", Long.toString(limit));
        return m;
    }

    static Map<String, Object> put(byte[] key, byte[] value, long lease, boolean prevKv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", b64(key));
        m.put("value", b64(value));
        if (lease != 0) m.put("lease", Long.toString(lease));
        if (prevKv) m.put("prev_kv", true);
        return m;
    }

    static Map<String, Object> delete(byte[] key, byte[] rangeEnd, boolean prevKv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", b64(key));
        if (rangeEnd != null) m.put("range_end", b64(rangeEnd));
        if (prevKv) m.put("prev_kv", true);
        return m;
    }

    static Map<String, Object> txn(List<Compare> compares, List<Op> success, List<Op> failure) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> cs = new ArrayList<>();
        for (Compare c : compares) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("key", b64(c.key()));
            cm.put("target", c.target().name());
            cm.put("result", c.result().name());
            switch (c.target()) {
                case VERSION -> cm.put("version", Long.toString(c.number()));
                case CREATE -> cm.put("create_revision", Long.toString(c.number()));
                case MOD -> cm.put("mod_revision", Long.toString(c.number()));
                case VALUE -> cm.put("value", b64(c.value()));
            }
            cs.add(cm);
        }
        m.put("compare", cs);
        m.put("success", ops(success));
        m.put("failure", ops(failure));
        return m;
    }

    private static List<Object> ops(List<Op> ops) {
        List<Object> list = new ArrayList<>();
        for (Op op : ops) {
            list.add(switch (op) {
                case Op.Get g -> Map.of("request_range", range(g.key(), g.rangeEnd(), 0, 0));
                case Op.Put p -> Map.of("request_put", put(p.key(), p.value(), p.lease(), p.prevKv()));
                case Op.Delete d -> Map.of("request_delete_range", delete(d.key(), d.rangeEnd(), d.prevKv()));
            });
        }
        return list;
    }

    // ---- reading

    static long revision(Map<String, Object> response) {
        return number(object(response, "header"), "revision");
    }

    static RangeResult rangeResult(Map<String, Object> r, long revision) {
        return new RangeResult(revision, kvs(r, "kvs"), number(r, "count"), bool(r, "more"));
    }

    static WriteResult writeResult(Map<String, Object> r) {
        List<KeyValue> prev = r.containsKey("prev_kv") ? List.of(kv(object(r, "prev_kv"))) : kvs(r, "prev_kvs");
        return new WriteResult(revision(r), number(r, "deleted"), prev);
    }

    static TxnResult txnResult(Map<String, Object> r) {
        long revision = revision(r);
        List<RangeResult> results = new ArrayList<>();
        for (Object o : list(r, "responses")) {
            Map<String, Object> one = asObject(o, "responses[]");
            if (one.containsKey("response_range")) {
                results.add(rangeResult(object(one, "response_range"), revision));
            } else {
                String which = one.containsKey("response_put") ? "response_put" : "response_delete_range";
                WriteResult w = writeResult(withHeader(object(one, which), revision));
                results.add(new RangeResult(revision, w.prevKvs(), w.deleted(), false));
            }
        }
        return new TxnResult(bool(r, "succeeded"), revision, results);
    }

    private static Map<String, Object> withHeader(Map<String, Object> m, long revision) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.put("header", Map.of("revision", Long.toString(revision)));
        return copy;
    }

    static List<KeyValue> kvs(Map<String, Object> m, String field) {
        List<KeyValue> out = new ArrayList<>();
        for (Object o : list(m, field)) out.add(kv(asObject(o, field + "[]")));
        return out;
    }

    static KeyValue kv(Map<String, Object> m) {
        return new KeyValue(bytes(m, "key"), bytes(m, "value"), number(m, "create_revision"),
                number(m, "mod_revision"), number(m, "version"), number(m, "lease"));
    }

    static WatchEvent event(Map<String, Object> m) {
        String type = text(m, "type");
        WatchEvent.Type t = switch (type) {
            case "", "PUT" -> WatchEvent.Type.PUT;
            case "DELETE" -> WatchEvent.Type.DELETE;
            default -> throw new IllegalArgumentException("unknown event type \"" + type + "\"");
        };
        KeyValue prev = m.containsKey("prev_kv") ? kv(object(m, "prev_kv")) : null;
        return new WatchEvent(t, kv(object(m, "kv")), prev);
    }

    // ---- typed field access; absent means the proto3 default

    static Map<String, Object> object(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? Map.of() : asObject(v, field);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object v, String what) {
        if (v instanceof Map) return (Map<String, Object>) v;
        throw new IllegalArgumentException(what + ": expected an object");
    }

    static List<?> list(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException(field + ": expected an array");
    }

    static long number(Map<String, Object> m, String field) {
        Object v = m.get(field);
        try {
            return switch (v) {
                case null -> 0;
                case Long n -> n;
                // uint64 ids (members, clusters) above 2^63 wrap to negative longs, as in Go's bits.
                case String s -> s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
                case BigDecimal d -> d.longValueExact();
                default -> throw new IllegalArgumentException(field + ": expected a number");
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(field + ": not a 64-bit integer: " + v);
        }
    }

    static boolean bool(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(field + ": expected true or false");
    }

    static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) return "";
        if (v instanceof String s) return s;
        throw new IllegalArgumentException(field + ": expected a string");
    }

    static byte[] bytes(Map<String, Object> m, String field) {
        String s = text(m, field);
        if (s.isEmpty()) return NONE;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": bad base64");
        }
    }
}
