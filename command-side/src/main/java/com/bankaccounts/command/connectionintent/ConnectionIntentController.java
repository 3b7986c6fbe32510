package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.connectionintent.AuthorizationOutcome;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.connectionintent.CreateConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.DeclineConnectionIntentCommand;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.api.connectionintent.PaymentConsentTerms;
import com.bankaccounts.command.connectionintent.ConnectionIntentRequests.AuthorizeRequest;
import com.bankaccounts.command.connectionintent.ConnectionIntentRequests.CreateBankAccountRequestRequest;
import com.bankaccounts.command.connectionintent.ConnectionIntentRequests.CreateConnectionIntentRequest;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import jakarta.validation.Valid;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Connection intents, and Bank Account Requests: the older face of the same flow. A create sends one command
 * ({@link ConnectionIntent} decides) and answers from the read model.
 */
@RestController
public class ConnectionIntentController {

    /** The error of an OAuth 2.0 authorization response when the user refused (RFC 6749 §4.1.2.1). */
    static final String ACCESS_DENIED = "access_denied";
    static final String REDIRECT_URI_RULE =
            "redirectUri must be an absolute https URL (http only to localhost), without credentials or a fragment";
    static final String REDIRECT_URI_PORT = "redirectUri has no valid port (1 to 65535)";
    static final String REDIRECT_URI_ASCII =
            "redirectUri must be ASCII: percent-encode other characters as UTF-8 (RFC 3986)";
    static final String REDIRECT_URI_PARAMETERS = "redirectUri must not carry a state, code, error, "
            + "error_description, error_uri or iss parameter: the redirect back adds them";
    /**
     * What the redirect back appends (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207): one of the URI's own would stand
     * beside it, and some clients read the first. Compared without case, as some frameworks read names.
     */
    private static final Set<String> REDIRECT_PARAMETERS =
            Set.of("state", "code", "error", "error_description", "error_uri", "iss");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** The first instant past a four-digit year: later ones are written with a sign and failed to store. */
    private static final Instant LATEST_EXPIRY = Instant.parse("+10000-01-01T00:00:00Z");

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ConnectionIntentRegistry registry;
    private final String publicBaseUrl;
    private final ConnectionIntentAuthorizer authorizer;

    public ConnectionIntentController(CommandGateway commands, QueryGateway queries,
                                      ConnectionIntentRegistry registry,
                                      @Value("${app.public-base-url:}") String publicBaseUrl,
                                      ConnectionIntentAuthorizer authorizer) {
        this.commands = commands;
        this.queries = queries;
        this.authorizer = authorizer;
        this.registry = registry;
        this.publicBaseUrl = publicBaseUrl.endsWith("/")
                ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    @ErrorCodes(forbidden = {ErrorCode.LIVENESS_MISMATCH, ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED},
            notFound = {ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.BANK_ACCOUNT_NOT_FOUND})
    @PostMapping("/api/bank-account-connection-intents")
    public ConnectionIntentResponse create(Caller caller, @Valid @RequestBody CreateConnectionIntentRequest request) {
        ConnectionIntentType type = ConnectionIntentRequests.INTENT_TYPES.get(request.type());
        if (type == null) {
            throw ApiException.badRequest("type must be account-information-consent or enduring-payment-consent");
        }
        PaymentConsentTerms terms = null;
        if (type == ConnectionIntentType.ENDURING_PAYMENT_CONSENT) {
            ConsentPeriod period = request.period() == null ? ConsentPeriod.DAILY
                    : ConsentPeriod.fromValue(request.period()).orElseThrow(() -> ApiException.badRequest(
                            "period must be daily, weekly, fortnightly, monthly or yearly"));
            terms = new PaymentConsentTerms(request.name() == null ? null : request.name().strip(), period,
                    request.totalAmount() == null ? null : Long.parseLong(request.totalAmount()),
                    expiresAt(request.expiresAt()));
        } else if (request.name() != null || request.period() != null || request.totalAmount() != null
                || request.expiresAt() != null) {
            throw ApiException.badRequest(
                    "name, period, totalAmount and expiresAt are only for enduring-payment-consent");
        }
        requireVisible(caller, request.accountId());
        return create(new CreateConnectionIntentCommand(Ids.newId(), request.accountId(), type, request.type(), false,
                Boolean.TRUE.equals(request.test()), bankAccountFor(type, request.bankAccountId()), terms,
                redirectUri(request.redirectUri()), baseUrl()));
    }

    @ErrorCodes(forbidden = {ErrorCode.AUTHORIZATION_CODE_INVALID, ErrorCode.CONNECTION_INTENT_ALREADY_AUTHORIZED,
            ErrorCode.PAYMENT_CONSENT_EXPIRED, ErrorCode.CONNECTION_INTENT_FAILED, ErrorCode.CONNECTION_INTENT_DECLINED, ErrorCode.STATE_MISMATCH, ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED,
            ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED, ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED},
            notFound = ErrorCode.CONNECTION_INTENT_NOT_FOUND, conflict = ErrorCode.AUTHORIZATION_IN_PROGRESS,
            badGateway = ErrorCode.PROVIDER_ERROR, serviceUnavailable = ErrorCode.PROVIDER_UNAVAILABLE)
    @PostMapping("/api/bank-account-connection-intents/{connectionIntentId}/authorize")
    public Map<String, Object> authorize(Caller caller, @PathVariable String connectionIntentId,
                                         @Valid @RequestBody AuthorizeRequest request) {
        return authorize(caller, connectionIntentId, request, false);
    }

    @ErrorCodes(forbidden = {ErrorCode.LIVENESS_MISMATCH, ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED},
            notFound = {ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.BANK_ACCOUNT_NOT_FOUND})
    @PostMapping("/api/bank-account-requests")
    public ConnectionIntentResponse createRequest(Caller caller,
                                                  @Valid @RequestBody CreateBankAccountRequestRequest request) {
        ConnectionIntentType type = ConnectionIntentRequests.REQUEST_TYPES.get(request.type());
        if (type == null) {
            throw ApiException.badRequest("type must be quartz-details or quartz-payment");
        }
        requireVisible(caller, request.accountId());
        // The older face has no test flag (requests take the account's liveness) and no payment terms.
        return create(new CreateConnectionIntentCommand(Ids.newId(), request.accountId(), type, request.type(), true,
                null, bankAccountFor(type, request.bankAccountId()), null, redirectUri(request.redirectUri()),
                baseUrl()));
    }

    @ErrorCodes(forbidden = {ErrorCode.AUTHORIZATION_CODE_INVALID, ErrorCode.BANK_ACCOUNT_REQUEST_ALREADY_DONE,
            ErrorCode.BANK_ACCOUNT_REQUEST_FAILED, ErrorCode.STATE_MISMATCH, ErrorCode.LIVE_PROVIDER_NOT_CONFIGURED,
            ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED, ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED},
            notFound = ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND, conflict = ErrorCode.AUTHORIZATION_IN_PROGRESS,
            badGateway = ErrorCode.PROVIDER_ERROR, serviceUnavailable = ErrorCode.PROVIDER_UNAVAILABLE)
    @PostMapping("/api/bank-account-requests/{bankAccountRequestId}/authorize")
    public Map<String, Object> authorizeRequest(Caller caller, @PathVariable String bankAccountRequestId,
                                                @Valid @RequestBody AuthorizeRequest request) {
        return authorize(caller, bankAccountRequestId, request, true);
    }

    private Map<String, Object> authorize(Caller caller, String id, AuthorizeRequest request, boolean legacy) {
        boolean declined = request.error() != null;
        if (declined && request.code() != null) {
            throw ApiException.badRequest("code and error are exclusive");
        }
        if (declined && !ACCESS_DENIED.equals(request.error())) {
            throw ApiException.badRequest("error must be access_denied");
        }
        if (!declined && (request.code() == null || request.code().isBlank())) {
            throw ApiException.badRequest("code is required");
        }
        if (!Ids.isWellFormed(id) || !caller.canAccessOwnedBy(registry.ownerOf(id, legacy))) {
            throw new NotFoundException(legacy
                    ? ErrorCode.BANK_ACCOUNT_REQUEST_NOT_FOUND : ErrorCode.CONNECTION_INTENT_NOT_FOUND);
        }
        if (declined) {
            commands.sendAndWait(new DeclineConnectionIntentCommand(id, request.state(), ACCESS_DENIED));
            return Map.of();
        }
        AuthorizationOutcome outcome = authorizer.authorize(id, request.code(), request.state());
        if (outcome == AuthorizationOutcome.CODE_REJECTED) {
            throw new BusinessRuleException(ErrorCode.AUTHORIZATION_CODE_INVALID);
        }
        if (outcome == AuthorizationOutcome.CONSENT_EXPIRED) {
            throw new BusinessRuleException(ErrorCode.PAYMENT_CONSENT_EXPIRED);
        }
        return Map.of();
    }

    /** Answers from the read model, written in the command's own transaction. */
    private ConnectionIntentResponse create(CreateConnectionIntentCommand command) {
        commands.sendAndWait(command);
        return queries.query(new FindConnectionIntentQuery(command.connectionIntentId()),
                ResponseTypes.instanceOf(ConnectionIntentResponse.class)).join();
    }

    /** Whether the account exists is the aggregate's question. */
    private static void requireVisible(Caller caller, String accountId) {
        if (!caller.canAccess(accountId)) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
    }

    private static String bankAccountFor(ConnectionIntentType type, String bankAccountId) {
        if (type == ConnectionIntentType.ENDURING_PAYMENT_CONSENT && bankAccountId == null) {
            throw ApiException.badRequest("bankAccountId is required for a payment consent");
        }
        if (type == ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT && bankAccountId != null) {
            throw ApiException.badRequest("bankAccountId is only for a payment consent");
        }
        return bankAccountId;
    }

    /** An ISO-8601 timestamp with its offset ({@code 2027-01-31T00:00:00Z}), in the future. */
    private static Instant expiresAt(String value) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("expiresAt must be an ISO-8601 timestamp such as 2027-01-31T00:00:00Z");
        }
        if (!at.isAfter(Instant.now())) {
            throw ApiException.badRequest("expiresAt must be in the future");
        }
        if (!at.isBefore(LATEST_EXPIRY)) {
            throw ApiException.badRequest("expiresAt must be before 10000-01-01T00:00:00Z");
        }
        return at;
    }

    /**
     * Where the user's browser takes the authorization code: https, as OAuth's security practice asks of a redirect
     * URI, or http to this machine only (a developer's client); never with credentials or a fragment.
     */
    private static String redirectUri(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = uri.getHost() != null
                    && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
            if (uri.isAbsolute() && (scheme.equals("https") || (scheme.equals("http") && loopback))
                    && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
                // A browser cannot follow a redirect to either: the user would be stranded with the code.
                if (uri.getPort() == 0 || uri.getPort() > 65_535) {
                    throw ApiException.badRequest(REDIRECT_URI_PORT);
                }
                // Sent as it is in Location, a header of bytes: a browser reads them as Latin-1, another URI.
                if (!value.chars().allMatch(c -> c < 0x80)) {
                    throw ApiException.badRequest(REDIRECT_URI_ASCII);
                }
                if (carriesRedirectParameter(uri.getRawQuery())) {
                    throw ApiException.badRequest(REDIRECT_URI_PARAMETERS);
                }
                return value;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.badRequest(REDIRECT_URI_RULE);
    }

    private static boolean carriesRedirectParameter(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        // Some frameworks also split on ';'.
        for (String parameter : rawQuery.split("[&;]")) {
            String name = parameter.split("=", 2)[0];
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // compared as written
            }
            if (REDIRECT_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Where users reach this server (the sandbox's pages): configured, or else as this request reached it. */
    private String baseUrl() {
        return publicBaseUrl.isEmpty()
                ? ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString()
                : publicBaseUrl;
    }
}
