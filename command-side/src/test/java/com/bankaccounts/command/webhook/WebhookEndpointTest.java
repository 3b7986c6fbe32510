package com.bankaccounts.command.webhook;

import static com.bankaccounts.command.PayloadMatchers.businessRule;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.webhook.CreateWebhookEndpointCommand;
import com.bankaccounts.api.webhook.DisableWebhookEndpointCommand;
import com.bankaccounts.api.webhook.RotateWebhookEndpointSecretCommand;
import com.bankaccounts.api.webhook.WebhookEndpointCreatedEvent;
import com.bankaccounts.api.webhook.WebhookEndpointDisabledEvent;
import com.bankaccounts.api.webhook.WebhookEndpointSecretRotatedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {

    private static final String ID = "WRhAxxWpTKb5U7pXyxQjjY";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String URL = "https://example.com/hooks";
    private static final List<String> TYPES = List.of("bank-account.created");

    private FixtureConfiguration<WebhookEndpoint> fixture;
    private Slots slots;

    /** The registry's decision alone: whether the account has a place left. */
    static final class Slots extends WebhookEndpointRegistry {
        boolean free = true;

        Slots() {
            super(null, 10);
        }

        @Override
        boolean claim(String webhookEndpointId, String accountId) {
            return free;
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(WebhookEndpoint.class);
        slots = new Slots();
        fixture.registerInjectableResource(slots);
    }

    private static CreateWebhookEndpointCommand create() {
        return new CreateWebhookEndpointCommand(ID, ACCOUNT_ID, URL, TYPES, "ERP", "v1:sealed", false);
    }

    private static WebhookEndpointCreatedEvent created() {
        return new WebhookEndpointCreatedEvent(ID, ACCOUNT_ID, URL, TYPES, "ERP", "v1:sealed", false);
    }

    @Test
    void anEndpointIsCreatedWhileTheAccountHasAPlace() {
        fixture.givenNoPriorActivity().when(create()).expectEvents(created());
    }

    @Test
    void anEndpointBeyondTheLimitIsRefused() {
        slots.free = false;
        fixture.givenNoPriorActivity().when(create())
                .expectException(businessRule(ErrorCode.WEBHOOK_ENDPOINT_LIMIT_EXCEEDED))
                .expectNoEvents();
    }

    @Test
    void anEnabledEndpointIsDisabled() {
        fixture.given(created()).when(new DisableWebhookEndpointCommand(ID))
                .expectEvents(new WebhookEndpointDisabledEvent(ID));
    }

    @Test
    void aRotatedSecretKeepsThePreviousOneSigningForTheOverlapFromNow() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        fixture.given(created()).andGivenCurrentTime(now)
                .when(new RotateWebhookEndpointSecretCommand(ID, "v1:new", Duration.ofHours(24)))
                .expectEvents(new WebhookEndpointSecretRotatedEvent(ID, "v1:new",
                        Instant.parse("2026-12-08T10:00:00Z")));
    }

    @Test
    void aRotationWithNoOverlapStopsThePreviousSecretAtOnce() {
        fixture.given(created())
                .when(new RotateWebhookEndpointSecretCommand(ID, "v1:new", Duration.ZERO))
                .expectEvents(new WebhookEndpointSecretRotatedEvent(ID, "v1:new", null));
    }

    @Test
    void aDisabledEndpointsSecretIsNotRotated() {
        fixture.given(created(), new WebhookEndpointDisabledEvent(ID))
                .when(new RotateWebhookEndpointSecretCommand(ID, "v1:new", Duration.ofHours(1)))
                .expectException(businessRule(ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED))
                .expectNoEvents();
    }

    @Test
    void aDisabledEndpointIsNotDisabledAgain() {
        fixture.given(created(), new WebhookEndpointDisabledEvent(ID)).when(new DisableWebhookEndpointCommand(ID))
                .expectException(businessRule(ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED))
                .expectNoEvents();
    }
}
