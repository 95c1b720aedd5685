package org.mandosjava.cluster.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.json.Json;

/**
 * JSON over HTTP to etcd's gateway: endpoint failover, per-call deadlines on the monotonic clock,
 * the authentication token and require-leader header, and the mapping of gateway errors to
 * {@link EtcdException} kinds. Thread-safe; the only mutable state is the preferred endpoint and the
 * token, both volatile (a stale read only costs a retry).
 */
final class EtcdTransport implements AutoCloseable {
    /** gRPC status codes the gateway reports in {@code "code"}. */
    private static final int INVALID_ARGUMENT = 3, DEADLINE_EXCEEDED = 4, NOT_FOUND = 5, PERMISSION_DENIED = 7,
            FAILED_PRECONDITION = 9, OUT_OF_RANGE = 11, UNAVAILABLE = 14, UNAUTHENTICATED = 16;
    /**
     * Calls in flight at once (each holds one HTTP/1.1 connection): beyond it, callers wait within
     * their own deadline, so a burst of callers cannot open thousands of connections to etcd.
     */
    static final int MAX_CONCURRENT_CALLS = 64;
    /** An error body is short; anything longer is not the gateway's. */
    private static final int MAX_ERROR_CHARS = 64 * 1024;

    /** Whether a call may be repeated on another endpoint after it may have reached the first. */
    enum Retry { READ, WRITE }

    private final EtcdClientSettings settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private volatile int preferred;
    private volatile String token;
    private volatile boolean closed;
    private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_CONCURRENT_CALLS);
    private final java.util.concurrent.atomic.AtomicInteger authentications = new java.util.concurrent.atomic.AtomicInteger();

    EtcdTransport(EtcdClientSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder()
                // One request per connection at a time: a watch's long response never blocks a call.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .executor(executor);
        if (settings.caFile() != null || settings.certFile() != null) {
            b.sslContext(PemTls.context(settings.caFile(), settings.certFile(), settings.keyFile()));
        }
        this.http = b.build();
    }

    EtcdClientSettings settings() {
        return settings;
    }

    List<URI> endpoints() {
        return settings.endpoints();
    }

    /** The endpoint calls start from: the last one that answered. */
    URI preferredEndpoint() {
        return settings.endpoints().get(preferred);
    }

    /** Authenticates with the user and password file, if configured; keeps the token for later calls. */
    void authenticate() throws EtcdException {
        if (settings.user() == null) return;
        String password;
        try {
            password = Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new EtcdException(Kind.AUTH, "cannot read the etcd password file " + settings.passwordFile()
                    + ": " + e.getMessage(), null);
        }
        Map<String, Object> r = call("/v3/auth/authenticate", Map.of("name", settings.user(), "password", password),
                Retry.READ, false);
        String t = Wire.text(r, "token");
        if (t.isEmpty()) throw new EtcdException(Kind.AUTH, "etcd gave no token (is auth enabled?)", null);
        token = t;
        authentications.incrementAndGet();
    }

    /** How many tokens have been obtained (for tests of renewal). */
    int authentications() {
        return authentications.get();
    }

    /** One call with the settings' timeout, re-authenticating once if the token expired. */
    Map<String, Object> call(String path, Map<String, Object> body, Retry retry) throws EtcdException {
        return call(path, body, retry, true, settings.timeout().toNanos());
    }

    /** One call bounded by {@code timeoutNanos} instead of the settings' timeout. */
    Map<String, Object> call(String path, Map<String, Object> body, Retry retry, long timeoutNanos)
            throws EtcdException {
        return call(path, body, retry, true, timeoutNanos);
    }

    private Map<String, Object> call(String path, Map<String, Object> body, Retry retry, boolean withToken)
            throws EtcdException {
        return call(path, body, retry, withToken, settings.timeout().toNanos());
    }

    private Map<String, Object> call(String path, Map<String, Object> body, Retry retry, boolean withToken,
            long timeoutNanos) throws EtcdException {
        try {
            return attempt(path, body, retry, withToken, timeoutNanos);
        } catch (EtcdException e) {
            if (!withToken || !isExpiredToken(e)) throw e;
            authenticate();
            return attempt(path, body, retry, true, timeoutNanos);
        }
    }

    private boolean isExpiredToken(EtcdException e) {
        return e.kind() == Kind.AUTH && settings.user() != null && e.getMessage().contains("invalid auth token");
    }

    private Map<String, Object> attempt(String path, Map<String, Object> body, Retry retry, boolean withToken,
            long timeoutNanos) throws EtcdException {
        long deadline = System.nanoTime() + timeoutNanos;
        String json = Json.write(body);
        int n = settings.endpoints().size();
        int start = preferred;
        EtcdException last = null;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            URI endpoint = settings.endpoints().get(index);
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                Map<String, Object> r = once(endpoint, path, json, left, retry, withToken);
                preferred = index;
                return r;
            } catch (EtcdException e) {
                last = e;
                // The next call starts elsewhere: this endpoint just failed.
                preferred = (index + 1) % n;
                boolean neverArrived = e.kind() == Kind.UNAVAILABLE && !e.outcomeUnknown();
                if (!(neverArrived || (retry == Retry.READ && e.kind() == Kind.UNAVAILABLE))) throw e;
            }
        }
        if (last != null) throw last;
        throw new EtcdException(Kind.TIMEOUT, "no etcd endpoint answered within "
                + Duration.ofNanos(timeoutNanos).toMillis() + " ms", null,
                retry == Retry.WRITE, -1, null);
    }

    /** One request to one endpoint, bounded by {@code nanos}. */
    Map<String, Object> once(URI endpoint, String path, String json, long nanos, Retry retry, boolean withToken)
            throws EtcdException {
        checkOpen();
        long start = System.nanoTime();
        try {
            if (!slots.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
                throw new EtcdException(Kind.TIMEOUT, "too many etcd calls in flight (" + MAX_CONCURRENT_CALLS
                        + "): none finished within " + Duration.ofNanos(nanos).toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException(Kind.CLOSED, "interrupted", endpoint);
        }
        try {
            return send(endpoint, path, json, nanos - (System.nanoTime() - start), retry, withToken);
        } finally {
            slots.release();
        }
    }

    private Map<String, Object> send(URI endpoint, String path, String json, long nanos, Retry retry,
            boolean withToken) throws EtcdException {
        if (nanos <= 0) {
            throw new EtcdException(Kind.TIMEOUT, endpoint + path + ": no time left", endpoint);
        }
        HttpRequest request = request(endpoint, path, Duration.ofNanos(nanos), withToken)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, LimitedBody.handler(Json.MAX_CHARS));
        HttpResponse<String> response;
        try {
            response = f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new EtcdException(Kind.TIMEOUT, endpoint + path + ": no answer within "
                    + Duration.ofNanos(nanos).toMillis() + " ms", endpoint, retry == Retry.WRITE, -1, null);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdException(Kind.CLOSED, "interrupted", endpoint, retry == Retry.WRITE, -1, e);
        } catch (ExecutionException | CancellationException e) {
            throw ioFailure(endpoint, path, e.getCause() == null ? e : e.getCause(), retry);
        }
        if (response.statusCode() == 200) return parse(endpoint, response.body());
        throw error(endpoint, response.statusCode(), response.body());
    }

    /** Opens a streaming POST (a watch); the caller reads and closes the body. */
    HttpResponse<InputStream> stream(URI endpoint, String path, String json, long headerNanos)
            throws EtcdException {
        checkOpen();
        HttpRequest request = request(endpoint, path, Duration.ofNanos(headerNanos), true)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CompletableFuture<HttpResponse<InputStream>> f =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = f.get(headerNanos, TimeUnit.NANOSECONDS);
            if (response.statusCode() == 200) return response;
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_ERROR_CHARS), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw error(endpoint, response.statusCode(), body);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new EtcdException(Kind.TIMEOUT, endpoint + path + ": no answer within "
                    + Duration.ofNanos(headerNanos).toMillis() + " ms", endpoint);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new EtcdException(Kind.CLOSED, "interrupted", endpoint);
        } catch (ExecutionException | CancellationException e) {
            throw ioFailure(endpoint, path, e.getCause() == null ? e : e.getCause(), Retry.READ);
        }
    }

    private HttpRequest.Builder request(URI endpoint, String path, Duration timeout, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json");
        if (settings.requireLeader()) b.header("Grpc-Metadata-hasleader", "true");
        String t = token;
        if (withToken && t != null) b.header("Authorization", t);
        return b;
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() throws EtcdException {
        if (closed) throw new EtcdException(Kind.CLOSED, "etcd client closed", null);
    }

    private static EtcdException ioFailure(URI endpoint, String path, Throwable cause, Retry retry) {
        // A refused or timed-out connect never delivered the request: safe to try the next endpoint.
        boolean connectFailed = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
        if (cause instanceof java.net.http.HttpTimeoutException && !connectFailed) {
            return new EtcdException(Kind.TIMEOUT, endpoint + path + ": no answer in time", endpoint,
                    retry == Retry.WRITE, -1, cause);
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return new EtcdException(Kind.AUTH, endpoint + ": TLS failed: " + cause.getMessage(), endpoint,
                    false, -1, cause);
        }
        // Under TLS 1.3 etcd checks our certificate after our side has finished the handshake: its
        // refusal can reach us as a bare close before the alert is read.
        String hint = "https".equals(endpoint.getScheme()) && !connectFailed
                && String.valueOf(cause.getMessage()).contains("received no bytes")
                ? " (the connection was closed unanswered: etcd does that when it refuses our client certificate)" : "";
        return new EtcdException(Kind.UNAVAILABLE, endpoint + path + ": " + describe(cause) + hint, endpoint,
                !connectFailed && retry == Retry.WRITE, -1, cause);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static Map<String, Object> parse(URI endpoint, String body) throws EtcdException {
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw new EtcdException(Kind.REJECTED, endpoint + ": unreadable answer: " + e.getMessage(), endpoint);
        }
    }

    /** Maps a gateway error ({@code {"error","message","code"}}) to an exception. */
    static EtcdException error(URI endpoint, int status, String body) {
        long code = -1;
        String message = "HTTP " + status;
        try {
            Map<String, Object> m = Json.parseObject(body);
            // Unary errors carry code/message at the top; stream errors wrap them in "error".
            Map<String, Object> e = m.get("error") instanceof Map ? Wire.object(m, "error") : m;
            code = e.containsKey("grpc_code") ? Wire.number(e, "grpc_code") : Wire.number(e, "code");
            String text = Wire.text(e, "message");
            if (!text.isEmpty()) message = text;
        } catch (IllegalArgumentException notJson) {
            if (body.length() < 200) message += ": " + body.strip();
        }
        return fromStatus(endpoint, (int) code, message);
    }

    static EtcdException fromStatus(URI endpoint, int code, String message) {
        String where = endpoint == null ? "etcd: " : endpoint + ": ";
        Kind kind = switch (code) {
            case UNAVAILABLE -> Kind.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
            case NOT_FOUND -> Kind.NOT_FOUND;
            case OUT_OF_RANGE -> message.contains("compacted") ? Kind.COMPACTED : Kind.REJECTED;
            case PERMISSION_DENIED, UNAUTHENTICATED -> Kind.AUTH;
            case INVALID_ARGUMENT, FAILED_PRECONDITION ->
                    message.contains("auth") || message.contains("user name") || message.contains("password")
                            ? Kind.AUTH : Kind.REJECTED;
            // The gateway's own deadline (about 6 s in 3.4) comes back as Unknown.
            default -> message.contains("deadline exceeded") ? Kind.TIMEOUT : Kind.REJECTED;
        };
        // "request timed out" (also Unavailable) may still be applied later; "no leader" never was.
        boolean unknown = kind == Kind.TIMEOUT || message.contains("timed out");
        return new EtcdException(kind, where + message + " (code " + code + ")", endpoint, unknown, -1, null);
    }

    @Override
    public void close() {
        closed = true;
        http.shutdownNow();
        executor.shutdownNow();
    }
}
