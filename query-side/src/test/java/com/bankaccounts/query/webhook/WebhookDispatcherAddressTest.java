package com.bankaccounts.query.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.webhook.WebhookUrlPolicy;
import com.bankaccounts.query.ReadModelDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A delivery goes to the address its URL's host was checked at, with no second lookup that a name changing its answer
 * (DNS rebinding) could turn inside: the names here are known only to the policy's resolver, not to the system's, so
 * a client that looked them up again could not connect at all. TLS still checks the certificate against the name.
 */
class WebhookDispatcherAddressTest {

    private static final String NAME = "hooks.example";
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path certificates;
    private static KeyStore keys;

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final WebhookDeliveries deliveries = new WebhookDeliveries(jdbc);
    private final WebhookEndpointReadModel endpoints = new WebhookEndpointReadModel(jdbc);
    private final TokenCipher cipher = new TokenCipher(new byte[32]);
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final MockWebServer receiver = new MockWebServer();
    private WebhookDispatcher dispatcher;

    /** A certificate for hooks.example alone, made by the JDK's keytool. */
    @BeforeAll
    static void certificate() throws Exception {
        Path store = certificates.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-validity", "2", "-dname", "CN=" + NAME,
                "-ext", "SAN=dns:" + NAME, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        boolean ended = keytool.waitFor(60, TimeUnit.SECONDS);
        String output = ended ? new String(keytool.getInputStream().readAllBytes()) : "keytool did not end";
        assertThat(ended && keytool.exitValue() == 0).as(output).isTrue();
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
    }

    @BeforeEach
    void start() throws IOException {
        // Other tests' due deliveries in this JVM's database would be sent by this dispatcher too.
        jdbc.sql("UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'")
                .update();
        receiver.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        if (dispatcher != null) {
            dispatcher.stop();
        }
        receiver.shutdown();
    }

    /** A delivery to the receiver at {@code path}, and the request it received, once the delivery succeeded. */
    private record Sent(String delivery, RecordedRequest received) {
    }

    private Sent sentOnce(String path) throws Exception {
        receiver.enqueue(new MockResponse().setResponseCode(204));
        dispatcher = dispatcher(trusting(false));
        String delivery = delivery("http://" + NAME + ":" + receiver.getPort() + path);

        await().atMost(Duration.ofSeconds(30)).until(() -> status(delivery).equals("succeeded"));
        return new Sent(delivery, receiver.takeRequest(1, TimeUnit.SECONDS));
    }

    @Test
    void aDeliveryConnectsToTheAddressTheCheckResolved() throws Exception {
        Sent sent = sentOnce("/hooks?from=test");
        String delivery = sent.delivery();
        RecordedRequest received = sent.received();
        assertThat(received.getHeader("Host")).isEqualTo(NAME + ":" + receiver.getPort());
        assertThat(received.getPath()).isEqualTo("/hooks?from=test");
        assertThat(received.getHeader("webhook-id")).isEqualTo("msg_" + delivery);
        assertThat(received.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(received.getHeader("User-Agent")).isEqualTo("bank-accounts-webhooks");
        assertThat(received.getHeader("Accept-Encoding")).isNull();
        assertThat(received.getBody().readUtf8()).isEqualTo("{\"type\":\"bank-account.created\"}");
        assertThat(lookups.get(NAME)).as("one lookup, the check's").hasValue(1);
    }

    /** Before, the path went out as Latin-1 bytes, and "€" as '?', which started the query early. */
    @Test
    void aPathBeyondAsciiIsSentAsItsUtf8Escapes() throws Exception {
        assertThat(sentOnce("/\u00fc/\u20ac?q=\u00fc").received().getRequestLine()).isEqualTo("POST /%C3%BC/%E2%82%AC?q=%C3%BC HTTP/1.1");
    }

    @Test
    void tlsChecksTheCertificateAgainstTheNameNotTheAddress() throws Exception {
        receiver.useHttps(serving().getSocketFactory(), false);
        receiver.enqueue(new MockResponse().setResponseCode(200));
        dispatcher = dispatcher(trusting(true));
        String delivery = delivery("https://" + NAME + ":" + receiver.getPort() + "/hooks");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(delivery).equals("succeeded"));

        String otherName = delivery("https://elsewhere.example:" + receiver.getPort() + "/hooks");
        await().atMost(Duration.ofSeconds(30)).until(() -> lastError(otherName) != null);
        assertThat(lastError(otherName)).startsWith("TLS handshake failed: ").contains("elsewhere.example");
    }

    /** A receiver that takes the connection and never answers the TLS handshake: told apart from a slow answer. */
    @Test
    void aHandshakeNeverAnsweredIsCutAtTheConnectTimeoutAndSaysSo() throws Exception {
        assertThat(errorOfOneDelivery("https", trusting(true), connection -> Thread.sleep(10_000)))
                .isEqualTo("no TLS handshake within 1000 ms");
    }

    /**
     * The answer's status is all that counts: a body the receiver sends slowly is not waited for. (Reading it would
     * take 1,000 s, cut by the deadline at 61 s here, past the wait for success.)
     */
    @Test
    void aSlowBodyAfterTheStatusIsNotWaitedFor() throws Exception {
        receiver.enqueue(new MockResponse().setResponseCode(200).setBody("x".repeat(1_000_000))
                .throttleBody(1024, 1, TimeUnit.SECONDS));
        receiver.enqueue(new MockResponse().setResponseCode(204));
        dispatcher = dispatcher(trusting(false), Duration.ofSeconds(60));
        String url = "http://" + NAME + ":" + receiver.getPort() + "/hooks";
        String first = delivery(url);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(first).equals("succeeded"));
        String second = delivery(url);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(second).equals("succeeded"));
    }

    /** Each byte within the read timeout, the whole answer never: the send's deadline ends it. */
    @Test
    void aReceiverTricklingItsAnswerIsCutAtTheDeadline() throws Exception {
        assertThat(errorOfOneDelivery("http", trusting(false), connection -> {
            for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
                connection.getOutputStream().write(b);
                connection.getOutputStream().flush();
                Thread.sleep(500);
            }
        })).isEqualTo("no answer within 2000 ms");
    }

    /** How a receiver treats a connection, once it has read the first bytes sent on it. */
    private interface Answering {
        void answer(Socket connection) throws IOException, InterruptedException;
    }

    /** The error one delivery to a receiver answering as told records; the delivery stays pending for a retry. */
    private String errorOfOneDelivery(String scheme, SSLContext tls, Answering answering) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread serving = new Thread(() -> serve(server, answering));
            serving.setDaemon(true);
            serving.start();
            dispatcher = dispatcher(tls);
            String delivery = delivery(scheme + "://" + NAME + ":" + server.getLocalPort() + "/hooks");

            await().atMost(Duration.ofSeconds(30)).until(() -> lastError(delivery) != null);
            assertThat(status(delivery)).isEqualTo("pending");
            return lastError(delivery);
        }
    }

    private static void serve(ServerSocket server, Answering answering) {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                connection.getInputStream().read(new byte[4096]);
                answering.answer(connection);
            } catch (IOException | InterruptedException closed) {
                // The client gave up, or the test ended.
            }
        }
    }

    private WebhookDispatcher dispatcher(SSLContext tls) {
        return dispatcher(tls, Duration.ofSeconds(2));
    }

    private WebhookDispatcher dispatcher(SSLContext tls, Duration timeout) {
        WebhookProperties properties = new WebhookProperties(List.of(Duration.ofSeconds(30)), timeout,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50), 2, 2, timeout.plusSeconds(60));
        WebhookUrlPolicy policy = new WebhookUrlPolicy("true", "", Duration.ofSeconds(1), host -> {
            lookups.computeIfAbsent(host, key -> new AtomicInteger()).incrementAndGet();
            if (host.endsWith(".example")) {
                return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
            }
            throw new UnknownHostException(host);
        });
        WebhookDispatcher started = new WebhookDispatcher(deliveries, endpoints, cipher, properties,
                new TransactionTemplate(new JdbcTransactionManager(ReadModelDatabase.dataSource())),
                new SimpleMeterRegistry(), policy, tls);
        started.start();
        return started;
    }

    /** A test endpoint at the URL, and a due delivery of a recorded event to it. */
    private String delivery(String url) {
        String endpointId = Ids.newId();
        String accountId = Ids.newId();
        endpoints.insert(endpointId, accountId, url, null, null, true, cipher.encrypt("whsec_test"), Instant.now(),
                "test", 1);
        String eventId = "evt_" + Ids.newId();
        deliveries.recordEvent(eventId, "bank-account.created", accountId, Instant.now(),
                cipher.encrypt("{\"type\":\"bank-account.created\"}"), List.of(endpointId));
        deliveries.addDelivery(endpointId, eventId, "bank-account.created");
        return jdbc.sql("SELECT id FROM webhook_delivery WHERE endpoint_id = ?").param(endpointId)
                .query(String.class).single();
    }

    private String status(String deliveryId) {
        return jdbc.sql("SELECT status FROM webhook_delivery WHERE id = ?").param(deliveryId).query(String.class)
                .single();
    }

    private String lastError(String deliveryId) {
        return jdbc.sql("SELECT last_error FROM webhook_delivery WHERE id = ?").param(deliveryId)
                .query(String.class).optional().orElse(null);
    }

    private static SSLContext serving() throws GeneralSecurityException {
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    /** A client context trusting the receiver's certificate, or the JVM's own issuers only. */
    private static SSLContext trusting(boolean receiversCertificate) throws Exception {
        if (!receiversCertificate) {
            return SSLContext.getDefault();
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("receiver", keys.getCertificate("receiver"));
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        return context;
    }
}
