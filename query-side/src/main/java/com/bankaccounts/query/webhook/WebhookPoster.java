package com.bankaccounts.query.webhook;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Posts deliveries, each to an address its URL's host was checked at ({@code WebhookUrlPolicy.resolve}), never looking
 * the name up again: a name whose answer changes after the check (DNS rebinding) cannot lead the connection past it.
 * The name still goes in the Host header and to TLS, which sends it as SNI and checks the certificate against it.
 * Apache's client, since the JDK's (and so Spring's RestClient over it) cannot be given the address to connect to.
 * <p>
 * Each post ends within connect timeout + timeout whatever the receiver does, a trickle of bytes included: a deadline
 * cancels it. Redirects are not followed (one could lead past the address checks), nothing is retried here (the
 * dispatcher's schedule does that) and no cookies are kept.
 */
final class WebhookPoster implements AutoCloseable {

    /** Not the library and its version, which a receiver has no use for. */
    static final String USER_AGENT = "bank-accounts-webhooks";
    /** As the JDK's client sent it: no charset parameter, which a receiver comparing the whole header would refuse. */
    private static final ContentType JSON = ContentType.create("application/json");

    /** No answer (its status line and headers) within the timeout, however the time went. */
    static final class TimedOut extends IOException {
        TimedOut() {
            super("no answer in time");
        }
    }

    /**
     * The receiver accepted the connection but did not complete the TLS handshake within the connect timeout. A plain
     * {@code IOException}: Apache's connect turns any {@code SocketTimeoutException} into a
     * {@code ConnectTimeoutException}, which would read as no connection at all.
     */
    static final class NoHandshake extends IOException {
        NoHandshake(SocketTimeoutException cause) {
            super("no TLS handshake in time", cause);
        }
    }

    /** Apache's TLS strategy, with a handshake that times out told apart from a connection that does not open. */
    private record HandshakeTimeoutNamed(TlsSocketStrategy tls) implements TlsSocketStrategy {

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            try {
                return tls.upgrade(socket, target, port, attachment, context);
            } catch (SocketTimeoutException e) {
                throw new NoHandshake(e);
            }
        }
    }

    private final CloseableHttpClient client;
    private final Duration deadline;
    private final ScheduledExecutorService deadlines;
    private final Set<HttpPost> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param connections posts in flight at once (the dispatcher's senders)
     * @param tls whose trusted issuers a receiver's certificate must chain to
     */
    WebhookPoster(Duration connectTimeout, Duration timeout, int connections, SSLContext tls) {
        this.deadline = connectTimeout.plus(timeout);
        // Read timeouts; the TLS handshake has the connect timeout (Apache's default for it).
        ConnectionConfig connecting = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(timeout))
                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new HandshakeTimeoutNamed(
                                new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BUILTIN, null)))
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(connecting)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .setConnectionRequestTimeout(Timeout.of(deadline))
                        .build())
                .setUserAgent(USER_AGENT)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        CustomizableThreadFactory threads = new CustomizableThreadFactory("webhook-deadline-");
        threads.setDaemon(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
    }

    /**
     * Posts {@code body} as JSON to {@code url}, connecting to {@code address}, and answers the receiver's status code
     * (its body is not read).
     *
     * @throws TimedOut when the deadline passed
     * @throws IOException as connecting, TLS or the exchange failed ({@code ConnectTimeoutException} when connecting
     *     took the connect timeout, {@link NoHandshake} when the TLS handshake did), or as {@link #close} cancelled it
     */
    int post(URI url, InetAddress address, Map<String, String> headers, byte[] body) throws IOException {
        HttpHost target = new HttpHost(url.getScheme(), address, url.getHost(), url.getPort());
        // A character beyond ASCII in the path or query as its UTF-8 %-escapes, as a browser sends it; Apache would
        // write it as one Latin-1 byte, or '?' beyond Latin-1, which moves where the query starts.
        HttpPost post = new HttpPost(URI.create(url.toASCIIString()));
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, JSON));
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> cancelling;
        try {
            cancelling = deadlines.schedule(() -> {
                late.set(true);
                post.cancel();
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            throw stopping();
        }
        inFlight.add(post);
        try {
            ClassicHttpResponse response = client.executeOpen(target, post, null);
            int status = response.getCode();
            HttpEntity answer = response.getEntity();
            if (answer != null && answer.getContentLength() != 0) {
                // Not read: a long or endless body would hold the sender. Cancelling resets the connection at once
                // (closing the response would end it politely, a write that can block).
                post.cancel();
            }
            closeQuietly(response);
            return status;
        } catch (IOException | RuntimeException e) {
            // A cancel can also surface unchecked, from the wait for a pooled connection or between steps.
            if (late.get()) {
                throw new TimedOut();
            }
            if (closed) {
                throw stopping();
            }
            throw e;
        } finally {
            cancelling.cancel(false);
            inFlight.remove(post);
        }
    }

    private static InterruptedIOException stopping() {
        return new InterruptedIOException("the dispatcher is stopping");
    }

    /** The status is in: a connection that cannot go back to the pool is closed with no harm to the delivery. */
    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException | RuntimeException ignored) {
            // Apache discards the connection itself.
        }
    }

    /** Cancels every post in flight (their senders see an IOException) and closes the connections. */
    @Override
    public void close() {
        closed = true;
        deadlines.shutdownNow();
        inFlight.forEach(HttpPost::cancel);
        client.close(CloseMode.IMMEDIATE);
    }
}
