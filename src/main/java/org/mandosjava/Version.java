package org.mandosjava;

/** Version strings. */
public final class Version {
    /** The Mandos release whose behaviour, options and wire protocol we reproduce. */
    public static final String COMPATIBLE = "1.8.16";
    /** This implementation's own version. */
    public static final String OWN = "0.1.0";

    private Version() {}
}
