package org.mandosjava.control;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.mandosjava.server.Origin;
import org.mandosjava.server.ServerStoppingException;
import org.mandosjava.server.SharedChangeException;
import org.mandosjava.server.StateNotDurableException;

/**
 * Answers method calls: finds the object a call's path names (the server {@code /}, a client object,
 * or none), looks its member up in that object's {@link MemberTable}, runs the handler and sends the
 * reply or the error. Runs on the D-Bus reader thread, one call at a time.
 */
final class MethodDispatcher {
    private static final Logger LOG = Logger.getLogger(MethodDispatcher.class.getName());
    private static final int NO_REPLY_EXPECTED = 0x1;

    private final BusConnection bus;
    private final ExportedClients exported;
    private final BooleanSupplier closing;
    private final Callers callers;
    /** What any path answers (a path with no object answers only these). */
    final MemberTable anyPath;
    final MemberTable server;
    final MemberTable client;

    MethodDispatcher(BusConnection bus, ExportedClients exported, CommonMembers common, ServerObject serverObject,
            ClientObject clientObject, BooleanSupplier closing) {
        this.bus = bus;
        this.exported = exported;
        this.closing = closing;
        this.callers = new Callers(bus);
        this.anyPath = new MemberTable(List.of(common.members()));
        this.server = new MemberTable(List.of(common.members(), serverObject.members()));
        this.client = new MemberTable(List.of(common.members(), clientObject.members()));
    }

    void handle(Message message) {
        if (!(message instanceof MethodCall call)) return;
        Message answer;
        try (Origin.Scope ignored = Origin.enter(callers.originOf(call))) {
            answer = answer(call);
        }
        if (answer == null) return;
        try {
            bus.send(answer);
        } catch (IOException e) {
            if (!closing.getAsBoolean()) LOG.log(Level.FINE, "cannot answer a D-Bus call", e);
        }
    }

    /**
     * Runs the call and makes its reply; null when the caller wants none. This is the one place where
     * a handler's failure becomes an error reply: a {@link DBusError} is sent as it is named, a change
     * that is in effect but not on disk as Failed naming the cause, a request a stopping server cannot
     * carry out as Failed saying so, anything else is our fault, logged and sent as Failed.
     */
    private Message answer(MethodCall call) {
        try {
            Reply reply = dispatch(call);
            if ((call.getFlags() & NO_REPLY_EXPECTED) != 0) return null;
            return bus.factory().createMethodReturn(call, reply.signature(), reply.values());
        } catch (DBusError e) {
            return error(call, e.name(), e.getMessage());
        } catch (StateNotDurableException e) {
            // The caller must not take it as done; the saver has logged why.
            return error(call, DBusNames.ERROR_FAILED, e.getMessage());
        } catch (ServerStoppingException e) {
            return error(call, DBusNames.ERROR_FAILED, e.getMessage());
        } catch (SharedChangeException e) {
            // Refused by the cluster, or committed but not confirmed by every server: the message says which.
            return error(call, DBusNames.ERROR_FAILED, e.getMessage());
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.WARNING, "D-Bus call " + call.getInterface() + "." + call.getName() + " on "
                    + call.getPath() + " failed", e);
            return error(call, DBusNames.ERROR_FAILED, String.valueOf(e.getMessage()));
        }
    }

    private Reply dispatch(MethodCall call) throws DBusError, DBusException {
        String path = call.getPath();
        String iface = call.getInterface();
        String name = call.getName();
        String signature = call.getSig() == null ? "" : call.getSig();
        Object[] parameters = call.getParameters();
        Object[] args = parameters == null ? new Object[0] : parameters;

        String clientName = DBusNames.SERVER_PATH.equals(path) ? null : exported.nameAt(path);
        MemberTable table = DBusNames.SERVER_PATH.equals(path) ? server : clientName != null ? client : anyPath;
        Member member = table.lookup(iface, name, signature);
        if (member == null) {
            throw table == anyPath ? CommonMembers.noSuchObject(path) : table.unknownMethod(iface, name, signature);
        }
        return member.handler().answer(new Member.Call(path, clientName, args));
    }

    private Message error(MethodCall call, String name, String text) {
        if ((call.getFlags() & NO_REPLY_EXPECTED) != 0) return null;
        try {
            return bus.factory().createError(null, call.getSource(), name, call.getSerial(), "s", text);
        } catch (DBusException e) {
            LOG.log(Level.WARNING, "cannot make a D-Bus error reply", e);
            return null;
        }
    }
}
