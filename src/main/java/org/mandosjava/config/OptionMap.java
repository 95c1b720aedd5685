package org.mandosjava.config;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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

    private OptionMap(Shape shape, String[] values) {
        this.shape = shape;
        this.values = values;
    }

    /** The option names of a client, in file order; one instance per distinct list, shared. */
    record Shape(List<String> keys) {
        Shape {
            keys = List.copyOf(keys);
        }

        /** A map with these keys and {@code values} (same length and order; not copied). */
        OptionMap with(String[] values) {
            if (values.length != keys.size()) throw new IllegalArgumentException("values do not match the keys");
            for (String v : values) {
                if (v == null) throw new NullPointerException("null option value");
            }
            return new OptionMap(this, values);
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equals(key)) return i;
            }
            return -1;
        }
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
        return i < 0 ? null : values[i];
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
                        return new SimpleImmutableEntry<>(shape.keys.get(i), values[i]);
                    }
                };
            }
        };
    }

    /** Same keys and values: compared without building entries when both share a shape. */
    @Override
    public boolean equals(Object o) {
        if (o instanceof OptionMap m && m.shape == shape) return Arrays.equals(values, m.values);
        return super.equals(o);
    }
}
