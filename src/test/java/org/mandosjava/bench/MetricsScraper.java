package org.mandosjava.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Scrapes a server's {@code /metrics} once a second, as Prometheus would, on a thread of its own until
 * closed; keeps what the scrapes cost and the last body.
 */
final class MetricsScraper implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param ok scrapes answered with 200
     * @param failed scrapes that failed or timed out
     * @param bytes size of the last body
     * @param maxMillis the slowest scrape
     * @param lastBody the last body (for the counters' final values)
     */
    record Figures(int ok, int failed, long bytes, double maxMillis, String lastBody) {
        /** A sample's value in the last body, e.g. {@code mandos_secrets_released_total}. */
        OptionalDouble value(String sample) {
            if (lastBody == null) return OptionalDouble.empty();
            for (String line : lastBody.split("\n")) {
                if (line.startsWith(sample + " ")) {
                    return OptionalDouble.of(Double.parseDouble(line.substring(sample.length() + 1).strip()));
                }
            }
            return OptionalDouble.empty();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI uri;
    private final Thread thread;
    private volatile boolean stopping;
    private int ok;
    private int failed;
    private long bytes;
    private double maxMillis;
    private String lastBody;

    private MetricsScraper(URI uri) {
        this.uri = uri;
        this.thread = Thread.ofPlatform().daemon().name("metrics-scraper").unstarted(this::loop);
    }

    /** Starts scraping {@code http://HOST:PORT/metrics}. */
    static MetricsScraper start(String hostPort) {
        MetricsScraper s = new MetricsScraper(URI.create("http://" + hostPort + "/metrics"));
        s.thread.start();
        return s;
    }

    private void loop() {
        long next = System.nanoTime();
        while (!stopping) {
            scrapeOnce();
            next += INTERVAL.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void scrapeOnce() {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t0) / 1e6;
            synchronized (this) {
                if (r.statusCode() == 200) {
                    ok++;
                    bytes = r.body().length();
                    lastBody = r.body();
                    maxMillis = Math.max(maxMillis, ms);
                } else {
                    failed++;
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                failed++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** What the scrapes so far found. */
    synchronized Figures figures() {
        return new Figures(ok, failed, bytes, maxMillis, lastBody);
    }

    /** Stops scraping and takes a last scrape so that the counters are current. */
    Figures finish() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(TIMEOUT.multipliedBy(2).toMillis());
        scrapeOnce();
        http.close();
        return figures();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(TIMEOUT.multipliedBy(2).toMillis());
        http.close();
    }
}
