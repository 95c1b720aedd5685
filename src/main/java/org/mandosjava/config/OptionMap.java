package org.mandosjava.config;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of a client's option texts whose keys array is shared by every client with the
 * same options, [DEFAULT] included, in the same order ({@link Shape}): a client then holds one array
 * of values. With 100,000 clients a hash map per client was 24 MB; this is 10.
 *
 * <p>Lookups scan the keys (about a dozen).
 * Equal to any {@link java.util.Map} with the same entries.
 */
final class OptionMap extends AbstractMap<String, String> {
    private final Shape shape;
    private final String[] values;
    /**
     * Bit i set: {@code values[i]} is held in ASCII upper case and the option was written in lower
     * case. A key_id is compared in upper case and mandos-keygen writes it in lower case; this way a
     * client holds it once (10 MB with 100,000 clients).
     */
    private final int lowered;

    private OptionMap(Shape shape, String[] values, int lowered) {
        this.shape = shape;
        this.values = values;
        this.lowered = lowered;
    }

    /** The option names of a client, in file order; one instance per distinct list, shared. */
    record Shape(List<String> keys) {
        Shape {
            keys = List.copyOf(keys);
        }

        /** A map with these keys and {@code values} (same length and order; not copied). */
        OptionMap with(String[] values) {
            return with(values, 0);
        }

        /**
         * A map with these keys and {@code values}, where a value whose bit is set in {@code lowered}
         * (bit i for {@code values[i]}, the first 32) stands for its ASCII lower case; see {@link #lowerable}.
         */
        OptionMap with(String[] values, int lowered) {
            if (values.length != keys.size()) throw new IllegalArgumentException("values do not match the keys");
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) throw new NullPointerException("null option value");
                if ((lowered & bit(i)) != 0 && !isAscii(values[i])) {
                    throw new IllegalArgumentException("only ASCII text is held in upper case");
                }
            }
            return new OptionMap(this, values, lowered);
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equals(key)) return i;
            }
            return -1;
        }
    }

    /**
     * Whether {@code written} is the ASCII lower case of {@code upper}, so that an option written as
     * {@code written} can be held as {@code upper}, at index {@code index}.
     */
    static boolean lowerable(String written, String upper, int index) {
        if (index >= Integer.SIZE || written.length() != upper.length() || !isAscii(upper)) return false;
        for (int i = 0; i < written.length(); i++) {
            char u = upper.charAt(i);
            if (written.charAt(i) != (u >= 'A' && u <= 'Z' ? (char) (u + ('a' - 'A')) : u)) return false;
        }
        return true;
    }

    static int bit(int index) {
        return index < Integer.SIZE ? 1 << index : 0;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    private String value(int i) {
        return (lowered & bit(i)) != 0 ? values[i].toLowerCase(Locale.ROOT) : values[i];
    }

    /** The keys, shared with every client that has the same option names. */
    Shape shape() {
        return shape;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return shape.indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = shape.indexOf(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= values.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(shape.keys.get(i), value(i));
                    }
                };
            }
        };
    }

    /** Same keys and values: compared without building entries when both share a shape. */
    @Override
    public boolean equals(Object o) {
        if (o instanceof OptionMap m && m.shape == shape && m.lowered == lowered) return Arrays.equals(values, m.values);
        return super.equals(o);
    }
}
