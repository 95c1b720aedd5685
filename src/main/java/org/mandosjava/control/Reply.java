package org.mandosjava.control;

/** A method's answer: its signature (null for none) and values. */
record Reply(String signature, Object... values) {
    static final Reply NONE = new Reply(null);
}
