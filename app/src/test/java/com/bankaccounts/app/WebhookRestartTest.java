package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.app.WebhookReceiver.Received;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.bankaccounts.platform.testing.PostgresTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The server stops while a delivery is on the wire and others wait; a new server on the same database delivers
 * every event: nothing is lost.
 */
class WebhookRestartTest {

    private static ConfigurableApplicationContext server() {
        return new SpringApplicationBuilder(BankAccountsApplication.class)
                .initializers(new PostgresTestDatabase())
                .run("--server.port=0", "--app.admin-api-key=" + ApiTestSupport.ADMIN_KEY,
                        "--app.token-encryption-key=" + ApiTestSupport.TOKEN_KEY,
                        "--app.webhooks.retry-schedule=1s,1s,1s,1s,1s,1s", "--app.webhooks.timeout=2s",
                        "--app.webhooks.connect-timeout=1s", "--app.webhooks.dns-timeout=1s", "--app.webhooks.lease=10s",
                        "--app.webhooks.poll-interval=200ms");
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return new ApiClient(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
    }

    @Test
    void aServerStoppedMidDeliveryLosesNothing() throws Exception {
        CountDownLatch onTheWire = new CountDownLatch(1);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // The first delivery hangs until the server is gone; everything after is answered at once.
            receiver.answer(() -> {
                if (onTheWire.getCount() > 0) {
                    onTheWire.countDown();
                    return new MockResponse().setResponseCode(200).setHeadersDelay(20, TimeUnit.SECONDS);
                }
                return new MockResponse().setResponseCode(200);
            });
            List<String> bankAccountIds = new ArrayList<>();
            String endpointId;
            String accountKey;
            ConfigurableApplicationContext first = server();
            try {
                ApiClient api = client(first);
                Response account = api.post("/api/accounts", ApiTestSupport.ADMIN_KEY,
                        ApiClient.map("name", "Acme", "test", true));
                String accountId = account.text("id");
                accountKey = api.post("/api/accounts/" + accountId + "/api-keys", ApiTestSupport.ADMIN_KEY,
                        ApiClient.map("name", "MyApiKey", "role", "account-owner")).text("secret");
                Response endpoint = api.post("/api/webhook-endpoints", accountKey,
                        ApiClient.map("url", receiver.url(), "eventTypes", List.of("bank-account.created")));
                assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(200);
                endpointId = endpoint.text("id");
                for (int i = 0; i < 5; i++) {
                    Response created = api.post("/api/bank-accounts", accountKey, ApiClient.map(
                            "bankAccountNumber", String.format("12-1234-%07d-000", (System.nanoTime() + i) % 10_000_000),
                            "bankAccountName", "John Doe"));
                    assertThat(created.status()).as(created.toString()).isEqualTo(200);
                    bankAccountIds.add(created.text("id"));
                }
                assertThat(onTheWire.await(30, TimeUnit.SECONDS)).as("a delivery reached the receiver").isTrue();
            } finally {
                first.close();
            }

            ConfigurableApplicationContext second = server();
            try {
                ApiClient api = client(second);
                await().atMost(Duration.ofSeconds(60)).until(() -> deliveredBankAccounts(receiver)
                        .containsAll(bankAccountIds));
                String key = accountKey;
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode items = api.get("/api/webhook-endpoints/" + endpointId + "/deliveries", key).json()
                            .get("items");
                    boolean allDone = items.size() == 5;
                    for (JsonNode item : items) {
                        allDone &= item.get("status").asString().equals("succeeded");
                    }
                    return allDone;
                });
                // At least once: the one cut off (the endpoint's only one in flight) was sent again under the same
                // webhook-id.
                Set<String> ids = receiver.received().stream().map(Received::webhookId).collect(Collectors.toSet());
                assertThat(ids).hasSize(5);
                assertThat(receiver.received()).hasSizeGreaterThanOrEqualTo(6);
                String cutOff = receiver.received().get(0).webhookId();
                assertThat(receiver.received()).filteredOn(request -> request.webhookId().equals(cutOff))
                        .hasSizeGreaterThanOrEqualTo(2);
            } finally {
                second.close();
            }
        }
    }

    private static Set<String> deliveredBankAccounts(WebhookReceiver receiver) {
        return receiver.received().stream()
                .map(request -> ApiClient.JSON.readTree(request.body()).get("data").get("id").asString())
                .collect(Collectors.toSet());
    }
}
