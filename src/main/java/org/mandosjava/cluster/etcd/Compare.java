package org.mandosjava.cluster.etcd;

import java.util.Arrays;

/**
 * One condition of a transaction, on one key. A missing key has create, mod revision and version 0,
 * so {@code createRevision(key, EQUAL, 0)} means "does not exist".
 */
public record Compare(byte[] key, Target target, Result result, long number, byte[] value) {
    /** What of the key is compared. */
    public enum Target { VERSION, CREATE, MOD, VALUE }

    /** How it is compared (the key's side on the left). */
    public enum Result { EQUAL, GREATER, LESS, NOT_EQUAL }

    public static Compare modRevision(byte[] key, Result result, long revision) {
        return new Compare(key, Target.MOD, result, revision, null);
    }

    public static Compare createRevision(byte[] key, Result result, long revision) {
        return new Compare(key, Target.CREATE, result, revision, null);
    }

    public static Compare version(byte[] key, Result result, long version) {
        return new Compare(key, Target.VERSION, result, version, null);
    }

    public static Compare value(byte[] key, Result result, byte[] value) {
        return new Compare(key, Target.VALUE, result, 0, value.clone());
    }

    /** Holds when {@code key} does not exist. */
    public static Compare absent(byte[] key) {
        return createRevision(key, Result.EQUAL, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compare c && Arrays.equals(key, c.key) && target == c.target && result == c.result
                && number == c.number && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + target.hashCode();
    }

    @Override
    public String toString() {
        return "Compare[" + new String(key, java.nio.charset.StandardCharsets.UTF_8) + " " + target + " " + result
                + " " + (target == Target.VALUE ? "(value)" : Long.toString(number)) + "]";
    }
}
