package org.mandosjava.control;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandosjava.config.Durations;
import org.mandosjava.server.ClientRegistry;
import org.mandosjava.server.ClientStatus;

/**
 * The properties of a client object (spec §7.3 table), in the original's introspection order: D-Bus
 * type, access, change signalling, how to read one from a {@link ClientStatus} and how a Set acts on
 * the {@link ClientRegistry}.
 */
enum ClientProperty {
    APPROVAL_DELAY("ApprovalDelay", "t", Access.READWRITE, s -> DBusValues.millis(s.approvalDelay()),
            (r, n, v) -> r.setApprovalDelay(n, duration("ApprovalDelay", v))),
    APPROVAL_DURATION("ApprovalDuration", "t", Access.READWRITE, s -> DBusValues.millis(s.approvalDuration()),
            (r, n, v) -> r.setApprovalDuration(n, duration("ApprovalDuration", v))),
    APPROVAL_PENDING("ApprovalPending", "b", Access.READ, ClientStatus::approvalPending, null),
    APPROVED_BY_DEFAULT("ApprovedByDefault", "b", Access.READWRITE, ClientStatus::approvedByDefault,
            (r, n, v) -> r.setApprovedByDefault(n, bool(v))),
    CHECKER_RUNNING("CheckerRunning", "b", Access.READWRITE, ClientStatus::checkerRunning,
            (r, n, v) -> {
                if (bool(v)) r.startChecker(n);
                else r.stopChecker(n);
            }),
    CHECKER("Checker", "s", Access.READWRITE, ClientStatus::checker, (r, n, v) -> {
        try {
            r.setChecker(n, string(v));
        } catch (IllegalArgumentException e) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "Checker: " + e.getMessage());
        }
    }),
    CREATED("Created", "s", Access.READ, Emits.CONST, s -> DBusValues.timestamp(s.created()), null),
    ENABLED("Enabled", "b", Access.READWRITE, ClientStatus::enabled, (r, n, v) -> {
        if (bool(v)) r.enable(n);
        else r.disable(n);
    }),
    EXPIRES("Expires", "s", Access.READ, s -> DBusValues.timestamp(s.expires()), null),
    EXTENDED_TIMEOUT("ExtendedTimeout", "t", Access.READWRITE, s -> DBusValues.millis(s.extendedTimeout()),
            (r, n, v) -> r.setExtendedTimeout(n, duration("ExtendedTimeout", v))),
    FINGERPRINT("Fingerprint", "s", Access.READ, Emits.CONST, ClientStatus::fingerprint, null),
    HOST("Host", "s", Access.READWRITE, ClientStatus::host, (r, n, v) -> r.setHost(n, string(v))),
    INTERVAL("Interval", "t", Access.READWRITE, s -> DBusValues.millis(s.interval()),
            (r, n, v) -> r.setInterval(n, duration("Interval", v))),
    KEY_ID("KeyID", "s", Access.READ, Emits.CONST, ClientStatus::keyId, null),
    LAST_APPROVAL_REQUEST("LastApprovalRequest", "s", Access.READ,
            s -> DBusValues.timestamp(s.lastApprovalRequest()), null),
    /** Setting it to anything (mandos-ctl sends "") means "checked OK now", as the original. */
    LAST_CHECKED_OK("LastCheckedOK", "s", Access.READWRITE, s -> DBusValues.timestamp(s.lastCheckedOk()),
            (r, n, v) -> r.checkedOk(n)),
    LAST_CHECKER_STATUS("LastCheckerStatus", "n", Access.READ, s -> (short) s.lastCheckerStatus(), null),
    LAST_ENABLED("LastEnabled", "s", Access.READ, s -> DBusValues.timestamp(s.lastEnabled()), null),
    NAME("Name", "s", Access.READ, Emits.CONST, ClientStatus::name, null),
    /** Needs the path, which the status does not know: filled in by the caller. */
    OBJECT_PATH("ObjectPath", "o", Access.READ, Emits.CONST, s -> null, null),
    SECRET("Secret", "ay", Access.WRITE, Emits.INVALIDATES, s -> null, (r, n, v) -> r.setSecret(n, bytes(v))),
    TIMEOUT("Timeout", "t", Access.READWRITE, s -> DBusValues.millis(s.timeout()),
            (r, n, v) -> r.setTimeout(n, duration("Timeout", v))),
    /**
     * Ours, on the current interface only: when the client's OpenPGP key expires (a timestamp as the
     * others, "" if never). Setting a date extends it (or brings it forward).
     */
    KEY_EXPIRES("KeyExpires", "s", Access.READWRITE, s -> DBusValues.timestamp(s.keyExpires()),
            (r, n, v) -> r.setKeyExpires(n, date(v)));

    enum Access {
        READ("read"), WRITE("write"), READWRITE("readwrite");

        final String xml;

        Access(String xml) {
            this.xml = xml;
        }
    }

    /** org.freedesktop.DBus.Property.EmitsChangedSignal */
    enum Emits { TRUE, CONST, INVALIDATES }

    @FunctionalInterface
    interface Setter {
        void set(ClientRegistry registry, String clientName, Object value) throws DBusError;
    }

    static final List<ClientProperty> ALL = List.of(values());

    final String dbusName;
    final String signature;
    final Access access;
    final Emits emits;
    private final Function<ClientStatus, Object> getter;
    private final Setter setter;

    ClientProperty(String dbusName, String signature, Access access, Function<ClientStatus, Object> getter,
            Setter setter) {
        this(dbusName, signature, access, Emits.TRUE, getter, setter);
    }

    ClientProperty(String dbusName, String signature, Access access, Emits emits,
            Function<ClientStatus, Object> getter, Setter setter) {
        this.dbusName = dbusName;
        this.signature = signature;
        this.access = access;
        this.emits = emits;
        this.getter = getter;
        this.setter = setter;
    }

    static ClientProperty byName(String dbusName) {
        for (ClientProperty p : ALL) {
            if (p.dbusName.equals(dbusName)) return p;
        }
        return null;
    }

    boolean readable() {
        return access != Access.WRITE;
    }

    boolean writable() {
        return access != Access.READ;
    }

    boolean deprecated() {
        return this == OBJECT_PATH;
    }

    /** Added by this server: on the current client interface only, as the server's additions are. */
    boolean ours() {
        return this == KEY_EXPIRES;
    }

    /** Whether the property is on {@code iface} ("" meaning any, as the original). */
    boolean on(String iface) {
        return iface.isEmpty() || iface.equals(DBusNames.CLIENT_INTERFACE)
                || (!ours() && DBusNames.CLIENT_INTERFACES.contains(iface));
    }

    /** The value as a plain Java object (comparable with equals), for a status and its path. */
    Object value(ClientStatus status, String path) {
        if (this == OBJECT_PATH) return new DBusPath(path);
        Object plain = getter.apply(status);
        return signature.equals("t") ? new UInt64((Long) plain) : plain;
    }

    /**
     * As {@link #value} but a duration's milliseconds as a {@code Long}: as good for comparing, and
     * without dbus-java's UInt64, which builds a BigInteger (five per client).
     */
    Object plainValue(ClientStatus status, String path) {
        return this == OBJECT_PATH ? value(status, path) : getter.apply(status);
    }

    Variant<?> variant(ClientStatus status, String path) {
        return new Variant<>(value(status, path), signature);
    }

    void set(ClientRegistry registry, String clientName, Object value) throws DBusError {
        setter.set(registry, clientName, value);
    }

    // ---------------------------------------------------------------- incoming values

    /**
     * Any integer type: dbus-python (the real mandos-ctl) sends a Python int as Int32 or Int64, not
     * as the UInt64 the property has, and the original accepts it. Checked before anything changes:
     * from zero to {@link Durations#MAX_SETTING}.
     */
    private static Duration duration(String property, Object v) throws DBusError {
        BigInteger ms;
        if (v instanceof UInt64 u) {
            ms = u.value();
        } else if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            ms = BigInteger.valueOf(n.longValue());
        } else {
            throw invalid("an integer number of milliseconds", v);
        }
        // Beyond the maximum, one past it stands for any larger value (a UInt64 may not fit a long).
        BigInteger pastMax = BigInteger.valueOf(Durations.MAX_SETTING.toMillis() + 1);
        try {
            return Durations.checkSetting(Duration.ofMillis(ms.min(pastMax).longValueExact()), ms + " ms");
        } catch (IllegalArgumentException e) {
            throw new DBusError(DBusNames.ERROR_INVALID_ARGS, property + ": " + e.getMessage());
        }
    }

    private static boolean bool(Object v) throws DBusError {
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.longValue() != 0; // Python's bool(int), as the original
        throw invalid("a boolean", v);
    }

    private static String string(Object v) throws DBusError {
        if (v instanceof String s) return s;
        throw invalid("a string", v);
    }

    /**
     * An RFC 3339 date or date-time with offset, as key_expires in clients.conf, or a timestamp as
     * this server shows them (UTC without zone), so that what Get returns can be Set back.
     */
    private static java.time.Instant date(Object v) throws DBusError {
        String text = string(v).strip();
        try {
            return org.mandosjava.config.KeyExpiryDates.parse(text);
        } catch (IllegalArgumentException e) {
            try {
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException notShown) {
                throw new DBusError(DBusNames.ERROR_INVALID_ARGS, "KeyExpires: " + e.getMessage());
            }
        }
    }

    private static byte[] bytes(Object v) throws DBusError {
        if (v instanceof byte[] b) return b;
        if (v instanceof List<?> list) {
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Byte b)) throw invalid("an array of bytes", v);
                out[i] = b;
            }
            return out;
        }
        if (v instanceof String s) return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        throw invalid("an array of bytes", v);
    }

    private static DBusError invalid(String wanted, Object got) {
        return new DBusError(DBusNames.ERROR_INVALID_ARGS,
                "expected " + wanted + ", got " + (got == null ? "nothing" : got.getClass().getSimpleName()));
    }
}
