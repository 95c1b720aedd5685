package org.mandosjava.control;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.transports.AbstractTransport;
import org.freedesktop.dbus.connections.transports.TransportBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MessageFactory;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.types.UInt32;

/**
 * One connection to a message bus, at the message level: dbus-java's transport (authentication,
 * marshalling) without its object export, so this server decides every reply itself — both
 * interface names per object, its own introspection XML, the original's error names, and lenient
 * argument types (spec §7).
 *
 * <p>Lifecycle: {@link #open} connects and says Hello; {@link #call} may then be used (before
 * {@link #serve}) for the bus's own methods; {@link #serve} reads messages until {@link #close}.
 * {@link #send} may be called from any thread.
 */
public final class BusConnection implements AutoCloseable {
    private static final String DBUS_NAME = "org.freedesktop.DBus";
    private static final String DBUS_PATH = "/org/freedesktop/DBus";
    private static final int NAME_FLAG_DO_NOT_QUEUE = 4;
    private static final int NAME_REPLY_PRIMARY_OWNER = 1;
    private static final int NAME_REPLY_ALREADY_OWNER = 4;
    /**
     * How long dbus-java keeps retrying to connect (its default, 10 s, would hold up the server's
     * start on a machine without a system bus).
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** How long the bus daemon may take to answer Hello and RequestName. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);

    private final AbstractTransport transport;
    private final MessageFactory factory;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Messages read while waiting for a reply in {@link #call}, handled first by {@link #serve}. */
    private final Queue<Message> backlog = new ArrayDeque<>();
    private volatile boolean closed;

    private BusConnection(AbstractTransport transport) {
        this.transport = transport;
        this.factory = transport.getMessageFactory();
    }

    /** Connects to the bus at {@code address} (e.g. {@code unix:path=/run/dbus/system_bus_socket}). */
    public static BusConnection open(String address) throws IOException, DBusException {
        AbstractTransport transport = TransportBuilder.create(address).configure()
                .withTimeout((int) CONNECT_TIMEOUT.toMillis()).back().build();
        BusConnection connection = new BusConnection(transport);
        try {
            transport.connect();
            connection.callBus("Hello", null);
        } catch (IOException | DBusException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    MessageFactory factory() {
        return factory;
    }

    /** Requests {@code name} without queueing; false if someone else has it. */
    boolean requestName(String name) throws IOException, DBusException {
        Object[] reply = callBus("RequestName", "su", name, new UInt32(NAME_FLAG_DO_NOT_QUEUE));
        long code = ((Number) reply[0]).longValue();
        return code == NAME_REPLY_PRIMARY_OWNER || code == NAME_REPLY_ALREADY_OWNER;
    }

    void releaseName(String name) throws IOException, DBusException {
        send(factory.createMethodCall(null, DBUS_NAME, DBUS_PATH, DBUS_NAME, "ReleaseName", (byte) 0, "s", name));
    }

    /** An error reply to {@link #call}: its D-Bus error name and message. */
    public static final class ErrorReply extends IOException {
        private final String name;

        ErrorReply(String name, String message) {
            super(message);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    private Object[] callBus(String member, String signature, Object... args) throws IOException, DBusException {
        return call(DBUS_NAME, DBUS_PATH, DBUS_NAME, member, signature, args);
    }

    /** The Unix user id of the connection {@code busName} (a unique name such as ":1.42"). */
    long unixUser(String busName) throws IOException, DBusException {
        return ((Number) callBus("GetConnectionUnixUser", "s", busName)[0]).longValue();
    }

    /**
     * Calls a method and waits for its reply: before {@link #serve} has started, or from within its
     * handler (the one thread that reads).
     *
     * @throws ErrorReply if the reply is an error
     */
    public Object[] call(String destination, String path, String iface, String member, String signature,
            Object... args) throws IOException, DBusException {
        MethodCall call = factory.createMethodCall(null, destination, path, iface, member, (byte) 0,
                signature, args);
        send(call);
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Message m = transport.readMessage();
            if (m == null) continue;
            if (m.getReplySerial() == call.getSerial()) {
                if (m instanceof Error error) {
                    Object[] params = error.getParameters();
                    throw new ErrorReply(error.getName(), params != null && params.length > 0
                            ? String.valueOf(params[0]) : error.getName());
                }
                Object[] params = m.getParameters();
                return params == null ? new Object[0] : params;
            }
            backlog.add(m);
        }
        throw new IOException("no answer to " + member + " within " + CALL_TIMEOUT);
    }

    void send(Message message) throws IOException {
        writeLock.lock();
        try {
            transport.writeMessage(message);
        } finally {
            writeLock.unlock();
        }
    }

    /** Hands every incoming message to {@code handler} until the connection is closed or lost. */
    void serve(Consumer<Message> handler) throws IOException, DBusException {
        Message m;
        while (!closed) {
            // A handler may call the bus itself (the caller's Unix user): what that read comes first.
            while ((m = backlog.poll()) != null) handler.accept(m);
            try {
                m = transport.readMessage();
            } catch (IOException e) {
                if (closed) return;
                throw e;
            }
            if (m != null) handler.accept(m);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            transport.close();
        } catch (IOException e) {
            // Nothing more to say to a bus we are leaving.
        }
    }
}
