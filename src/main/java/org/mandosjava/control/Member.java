package org.mandosjava.control;

/**
 * One method of an exported object: the interface it is declared in, its name, its input signature
 * ({@code ""} for none) and what answers it. {@link MemberTable} routes calls to it.
 */
record Member(String iface, String name, String signature, Handler handler) {

    /** A call as a handler sees it: the object path, the client there (null on {@code /}), the arguments. */
    record Call(String path, String client, Object[] args) {}

    @FunctionalInterface
    interface Handler {
        Reply answer(Call call) throws DBusError;
    }

    /** The same handler under each interface name, as the original declares identical members twice. */
    static java.util.List<Member> onEach(java.util.List<String> ifaces, String name, String signature,
            Handler handler) {
        return ifaces.stream().map(i -> new Member(i, name, signature, handler)).toList();
    }
}
