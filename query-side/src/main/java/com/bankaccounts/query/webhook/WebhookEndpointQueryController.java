package com.bankaccounts.query.webhook;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.webhook.FindWebhookEndpointQuery;
import com.bankaccounts.api.webhook.WebhookEndpointResponse;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.query.webhook.WebhookDeliveries.DeliveryResponse;
import com.bankaccounts.query.webhook.WebhookDeliveries.Paged;
import com.bankaccounts.query.webhook.WebhookEndpointReadModel.StoredEndpoint;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads of webhook endpoints and their deliveries, and a delivery's retry (delivery state, not a domain event). */
@RestController
public class WebhookEndpointQueryController {

    static final int PAGE_SIZE = 25;

    private final WebhookEndpointReadModel endpoints;
    private final WebhookDeliveries deliveries;
    private final AccountRepository accounts;
    private final DeliveryPageKeys pageKeys;

    public WebhookEndpointQueryController(WebhookEndpointReadModel endpoints, WebhookDeliveries deliveries,
                                          AccountRepository accounts, DeliveryPageKeys pageKeys) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.accounts = accounts;
        this.pageKeys = pageKeys;
    }

    public record WebhookEndpointList(List<WebhookEndpointResponse> items) {
    }

    public record DeliveryPage(List<DeliveryResponse> items, String nextPageKey) {
    }

    @QueryHandler
    public WebhookEndpointResponse handle(FindWebhookEndpointQuery query) {
        return endpoints.findById(query.webhookEndpointId()).map(StoredEndpoint::response).orElse(null);
    }

    @ErrorCodes(notFound = ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND)
    @GetMapping("/api/webhook-endpoints/{webhookEndpointId}")
    public WebhookEndpointResponse get(Caller caller, @PathVariable String webhookEndpointId) {
        return visible(caller, webhookEndpointId).response();
    }

    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/accounts/{accountId}/webhook-endpoints")
    public WebhookEndpointList list(Caller caller, @PathVariable String accountId) {
        if (!caller.canAccess(accountId) || accounts.findById(accountId).isEmpty()) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
        return new WebhookEndpointList(endpoints.findByAccount(accountId).stream().map(StoredEndpoint::response)
                .toList());
    }

    /** Newest first; {@code nextPageKey} is present while there is more, and goes back as {@code pageKey}. */
    @ErrorCodes(notFound = ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND)
    @GetMapping("/api/webhook-endpoints/{webhookEndpointId}/deliveries")
    public DeliveryPage deliveries(Caller caller, @PathVariable String webhookEndpointId,
                                   @RequestParam(required = false) String pageKey) {
        visible(caller, webhookEndpointId);
        Long before = null;
        if (pageKey != null) {
            before = pageKeys.position(webhookEndpointId, pageKey).orElseThrow(
                    () -> ApiException.badRequest("pageKey is not a page key from this list"));
        }
        List<Paged> page = deliveries.page(webhookEndpointId, before, PAGE_SIZE + 1);
        List<DeliveryResponse> items = page.stream().limit(PAGE_SIZE).map(Paged::delivery).toList();
        String next = page.size() > PAGE_SIZE ? pageKeys.after(webhookEndpointId, page.get(PAGE_SIZE - 1).seq())
                : null;
        return new DeliveryPage(items, next);
    }

    /**
     * Sends the delivery again now, with the whole retry schedule ahead of it (any status); not to a disabled endpoint,
     * which nothing is sent to (the send would fail at once and count an attempt that never was).
     */
    @ErrorCodes(forbidden = ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED,
            notFound = {ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND})
    @PostMapping("/api/webhook-endpoints/{webhookEndpointId}/deliveries/{deliveryId}/retry")
    public DeliveryResponse retry(Caller caller, @PathVariable String webhookEndpointId,
                                  @PathVariable String deliveryId) {
        visible(caller, webhookEndpointId);
        if (!Ids.isWellFormed(deliveryId) || !deliveries.restart(webhookEndpointId, deliveryId)) {
            // Not put back: the endpoint is disabled (restart checks it, a disable since the look-up included), or
            // there is no such delivery.
            if (endpoints.findById(webhookEndpointId).map(found -> !found.response().enabled()).orElse(false)) {
                throw new BusinessRuleException(ErrorCode.WEBHOOK_ENDPOINT_ALREADY_DISABLED);
            }
            throw new NotFoundException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
        }
        return deliveries.find(webhookEndpointId, deliveryId)
                .orElseThrow(() -> new NotFoundException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND));
    }

    private StoredEndpoint visible(Caller caller, String webhookEndpointId) {
        if (!Ids.isWellFormed(webhookEndpointId)) {
            throw new NotFoundException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND);
        }
        return endpoints.findById(webhookEndpointId)
                .filter(found -> caller.canAccess(found.response().accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND));
    }
}
