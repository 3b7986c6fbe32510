package com.bankaccounts.command.webhook;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.SecureRandoms;
import com.bankaccounts.api.webhook.CreateWebhookEndpointCommand;
import com.bankaccounts.api.webhook.DisableWebhookEndpointCommand;
import com.bankaccounts.api.webhook.FindWebhookEndpointQuery;
import com.bankaccounts.api.webhook.RotateWebhookEndpointSecretCommand;
import com.bankaccounts.api.webhook.WebhookEndpointResponse;
import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.platform.account.Account;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.crypto.TokenCipher;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.web.RequestBodyRules;
import com.bankaccounts.platform.webhook.WebhookUrlPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class WebhookEndpointController {


    private final CommandGateway commands;
    private final QueryGateway queries;
    private final WebhookEndpointRegistry registry;
    private final AccountRepository accounts;
    private final TokenCipher cipher;
    private final WebhookUrlPolicy urlPolicy;

    public WebhookEndpointController(CommandGateway commands, QueryGateway queries, WebhookEndpointRegistry registry,
                                     AccountRepository accounts, TokenCipher cipher, WebhookUrlPolicy urlPolicy) {
        this.commands = commands;
        this.urlPolicy = urlPolicy;
        this.queries = queries;
        this.registry = registry;
        this.accounts = accounts;
        this.cipher = cipher;
    }

    /**
     * The event types' own values are checked by the controller, not by constraints on the list's elements: Hibernate
     * Validator took quadratic time over many failing elements, which it checks even when the list is too long.
     */
    record CreateWebhookEndpointRequest(@Pattern(regexp = RequestBodyRules.NOT_BLANK,
                                                message = RequestBodyRules.NOT_BLANK_MESSAGE)
                                        @Size(max = 32) String accountId,
                                        @NotBlank(message = "is required") @Size(max = 2048) String url,
                                        @Size(max = 50) List<String> eventTypes,
                                        @Size(max = 500) String description) {
    }

    @ErrorCodes(forbidden = ErrorCode.WEBHOOK_ENDPOINT_LIMIT_EXCEEDED, notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @PostMapping("/api/webhook-endpoints")
    public WebhookEndpointResponse create(Caller caller, @Valid @RequestBody CreateWebhookEndpointRequest request) {
        String accountId = request.accountId() != null ? request.accountId() : caller.accountId();
        if (accountId == null) {
            throw ApiException.badRequest("accountId is required");
        }
        Account account = accounts.findById(accountId).filter(found -> caller.canAccess(found.id()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
        List<String> eventTypes = null;
        if (request.eventTypes() != null) {
            for (String type : request.eventTypes()) {
                if (WebhookEventType.fromValue(type).isEmpty()) {
                    throw ApiException.badRequest("eventTypes holds an unknown event type: " + type);
                }
            }
            if (request.eventTypes().isEmpty()) {
                throw ApiException.badRequest("eventTypes must not be empty (leave it out for every type)");
            }
            eventTypes = List.copyOf(new LinkedHashSet<>(request.eventTypes()));
        }
        String url = request.url().strip();
        urlPolicy.checkAddresses(url, account.test(), account.id()).ifPresent(refusal -> {
            throw ApiException.badRequest(refusal);
        });
        String secret = newSecret();
        String webhookEndpointId = Ids.newId();
        commands.sendAndWait(new CreateWebhookEndpointCommand(webhookEndpointId, accountId, url, eventTypes,
                request.description(), cipher.encrypt(secret), account.test()));
        return find(webhookEndpointId).withSecret(secret);
    }

    @ErrorCodes(forbidden = ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED,
            notFound = ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND)
    @PostMapping("/api/webhook-endpoints/{webhookEndpointId}/disable")
    public WebhookEndpointResponse disable(Caller caller, @PathVariable String webhookEndpointId) {
        requireVisible(caller, webhookEndpointId);
        commands.sendAndWait(new DisableWebhookEndpointCommand(webhookEndpointId));
        return find(webhookEndpointId);
    }

    /** How long the current secret may keep signing beside the new one; at most a week. */
    record RotateSecretRequest(@Min(0) @Max(MAX_OVERLAP_SECONDS) Long previousSecretExpiresIn) {
    }

    static final long MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
    static final long DEFAULT_OVERLAP_SECONDS = 24 * 3600;

    /**
     * A new signing secret, shown once in this answer. Deliveries are signed with it and with each earlier secret
     * until that one expires (by default 24 hours after its rotation), so a receiver can switch to the new one
     * without refusing any.
     */
    @ErrorCodes(forbidden = ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED,
            notFound = ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND)
    @PostMapping("/api/webhook-endpoints/{webhookEndpointId}/rotate-secret")
    public WebhookEndpointResponse rotateSecret(Caller caller, @PathVariable String webhookEndpointId,
                                                @Valid @RequestBody(required = false) RotateSecretRequest request) {
        requireVisible(caller, webhookEndpointId);
        long overlap = request == null || request.previousSecretExpiresIn() == null
                ? DEFAULT_OVERLAP_SECONDS
                : request.previousSecretExpiresIn();
        String secret = newSecret();
        commands.sendAndWait(new RotateWebhookEndpointSecretCommand(webhookEndpointId, cipher.encrypt(secret),
                Duration.ofSeconds(overlap)));
        return find(webhookEndpointId).withSecret(secret);
    }

    private void requireVisible(Caller caller, String webhookEndpointId) {
        if (!Ids.isWellFormed(webhookEndpointId) || !caller.canAccessOwnedBy(registry.ownerOf(webhookEndpointId))) {
            throw new NotFoundException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND);
        }
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        SecureRandoms.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private WebhookEndpointResponse find(String webhookEndpointId) {
        return queries.query(new FindWebhookEndpointQuery(webhookEndpointId),
                ResponseTypes.instanceOf(WebhookEndpointResponse.class)).join();
    }
}
