package com.bankaccounts.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A webhook receiver on a real port: it records every request and answers as told (200 by default). It can go
 * down and come back on the same port.
 */
final class WebhookReceiver implements AutoCloseable {

    record Received(String webhookId, String timestamp, String signature, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Supplier<MockResponse>> answer =
            new AtomicReference<>(() -> new MockResponse().setResponseCode(200));
    private final int port;
    private MockWebServer server;

    private WebhookReceiver(int port) {
        this.port = port;
    }

    static WebhookReceiver start() {
        WebhookReceiver receiver = new WebhookReceiver(0);
        receiver.up(0);
        return receiver;
    }

    private void up(int onPort) {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(new Received(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                        request.getHeader("webhook-signature"), request.getBody().readUtf8()));
                return answer.get().get();
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), onPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort() + "/hooks";
    }

    void answer(int status) {
        answer.set(() -> new MockResponse().setResponseCode(status));
    }

    void answer(Supplier<MockResponse> response) {
        answer.set(response);
    }

    /** Stops listening: connections are refused until {@link #comeBack()}. */
    void goDown() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void comeBack() {
        int was = server.getPort();
        up(was);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Checks the Standard Webhooks signature as a receiver would, from the secret alone. */
    static boolean signatureValid(String secret, Received request) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signed = request.webhookId() + "." + request.timestamp() + "." + request.body();
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        for (String candidate : request.signature().split(" ")) {
            if (MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    /** A response still held back (a slow receiver) may outlive the wait; the port is closed all the same. */
    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("Gave up waiting")) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
