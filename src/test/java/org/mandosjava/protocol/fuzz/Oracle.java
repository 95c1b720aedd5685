package org.mandosjava.protocol.fuzz;

import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * What a hostile peer may make our protocol code do, and nothing else:
 * <ul>
 * <li>finish, or throw an {@link IOException}: {@link org.mandosjava.protocol.ProtocolException} (a bad
 *     version line), Bouncy Castle's {@link TlsFatalAlert} (we reject what it sent) and
 *     {@link TlsFatalAlertReceived} (it sent an alert), {@code TlsNoCloseNotifyException},
 *     {@link java.io.EOFException}, {@link java.net.SocketTimeoutException} and other
 *     {@link java.net.SocketException}s. The connection handler maps each to a log line and closes
 *     only that connection.</li>
 * <li>Never an unchecked exception or error: that is a bug in our code or in Bouncy Castle that the
 *     peer chose to trigger. Bouncy Castle turns a RuntimeException inside its record layer into
 *     {@code internal_error}; such an alert whose cause is a RuntimeException counts as one too.</li>
 * <li>Never take longer than the read timeout allows (a hang), and never leave a thread behind.</li>
 * <li>Success only with the honest result: a mutated stream that completes must give the same peer
 *     key and the same secret as the honest one.</li>
 * </ul>
 */
final class Oracle {
    private Oracle() {}

    /** Null if {@code thrown} is allowed, else why not. */
    static String violation(Throwable thrown) {
        if (thrown == null) return null;
        if (!(thrown instanceof IOException)) return "undocumented exception escaped: " + thrown;
        if (thrown instanceof TlsFatalAlert alert && alert.getAlertDescription() == AlertDescription.internal_error
                && hiddenRuntimeException(alert) != null && !knownInBouncyCastle(hiddenRuntimeException(alert))) {
            return "internal_error hiding " + hiddenRuntimeException(alert);
        }
        return null;
    }

    /**
     * Bouncy Castle 1.83 answers a record whose version field is a reserved DTLS value ({0xFE, 0xFE})
     * with internal_error: {@code ProtocolVersion.get} throws inside its record layer, below anything
     * we can hook. Harmless (the connection fails as it should, only the alert blames the wrong side),
     * so it is tolerated here and reported upstream rather than worked around.
     */
    private static boolean knownInBouncyCastle(Throwable hidden) {
        StackTraceElement[] trace = hidden.getStackTrace();
        return hidden instanceof IllegalArgumentException && trace.length > 0
                && trace[0].getClassName().equals("org.bouncycastle.tls.ProtocolVersion")
                && String.valueOf(hidden.getMessage()).contains("reserved protocol version");
    }

    private static Throwable hiddenRuntimeException(Throwable t) {
        for (Throwable cause = t.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RuntimeException || cause instanceof Error) return cause;
        }
        return null;
    }

    /** A short name for statistics: the type and, for alerts, the description. */
    static String label(Throwable thrown) {
        if (thrown == null) return "ok";
        String name = thrown.getClass().getSimpleName();
        if (thrown instanceof TlsFatalAlertReceived r) return name + ":" + AlertDescription.getName(r.getAlertDescription());
        if (thrown instanceof TlsFatalAlert a) return name + ":" + AlertDescription.getName(a.getAlertDescription());
        return name;
    }
}
