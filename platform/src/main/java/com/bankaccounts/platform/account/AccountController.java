package com.bankaccounts.platform.account;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.ApiKeyAuthenticationProvider;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.Secrets;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.web.NameText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Accounts and their API keys (DESIGN.md section 3). */
@RestController
public class AccountController {

    private final AccountRepository accounts;
    private final ApiKeyRepository apiKeys;
    private final ApiKeyAuthenticationProvider authentication;

    public AccountController(AccountRepository accounts, ApiKeyRepository apiKeys,
                             ApiKeyAuthenticationProvider authentication) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.authentication = authentication;
    }

    public record CreateAccountRequest(@NotBlank(message = "is required") @Size(max = 200) @NameText String name,
                                       Boolean test) {
    }

    public record AccountResponse(String id, String name, boolean test, String createdAt, String createdBy) {
        static AccountResponse of(Account account) {
            return new AccountResponse(account.id(), account.name(), account.test(),
                    Timestamps.format(account.createdAt()), account.createdBy());
        }
    }

    public record CreateApiKeyRequest(
            @NotBlank(message = "is required")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,100}", message = "must be 1 to 100 letters, digits, '_' or '-'")
            String name,
            @NotBlank(message = "is required") String role) {
    }

    public record ApiKeyResponse(String accountId, String name, String role, boolean enabled, String secret,
                                 String createdAt, String createdBy, String disabledAt, String disabledBy) {
        static ApiKeyResponse of(ApiKey key, String secret) {
            return new ApiKeyResponse(key.accountId(), key.name(), key.role(), key.enabled(), secret,
                    Timestamps.format(key.createdAt()), key.createdBy(), Timestamps.format(key.disabledAt()),
                    key.disabledBy());
        }
    }

    /** Admin only (SecurityConfiguration). */
    @ErrorCodes(forbidden = ErrorCode.ADMIN_KEY_REQUIRED)
    @PostMapping("/api/accounts")
    public AccountResponse create(Caller caller, @Valid @RequestBody CreateAccountRequest request) {
        Account account = new Account(Ids.newId(), request.name().strip(), Boolean.TRUE.equals(request.test()),
                now(), caller.crn());
        accounts.insert(account);
        return AccountResponse.of(account);
    }

    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/accounts/{accountId}")
    public AccountResponse get(Caller caller, @PathVariable String accountId) {
        return AccountResponse.of(visibleAccount(caller, accountId));
    }

    @ErrorCodes(forbidden = ErrorCode.API_KEY_ALREADY_EXISTS, notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @PostMapping("/api/accounts/{accountId}/api-keys")
    public ApiKeyResponse createApiKey(Caller caller, @PathVariable String accountId,
                                       @Valid @RequestBody CreateApiKeyRequest request) {
        Account account = visibleAccount(caller, accountId);
        if (!ApiKey.ROLE_ACCOUNT_OWNER.equals(request.role())) {
            throw ApiException.badRequest("role must be " + ApiKey.ROLE_ACCOUNT_OWNER);
        }
        String secret = Secrets.newSecret();
        ApiKey key = new ApiKey(account.id(), request.name(), request.role(), now(), caller.crn());
        if (!apiKeys.insert(key, secret)) {
            throw new BusinessRuleException(ErrorCode.API_KEY_ALREADY_EXISTS);
        }
        return ApiKeyResponse.of(key, secret);
    }

    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/accounts/{accountId}/api-keys")
    public List<ApiKeyResponse> listApiKeys(Caller caller, @PathVariable String accountId) {
        Account account = visibleAccount(caller, accountId);
        return apiKeys.findByAccount(account.id()).stream().map(key -> ApiKeyResponse.of(key, null)).toList();
    }

    /**
     * Disables a key for good, for a key that leaked or is no longer used; a key may disable itself. This node
     * refuses it at once, others once they have forgotten it ({@code app.api-keys.cache-ttl}, 5 s).
     */
    @ErrorCodes(forbidden = ErrorCode.API_KEY_ALREADY_DISABLED,
            notFound = {ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.API_KEY_NOT_FOUND})
    @PostMapping("/api/accounts/{accountId}/api-keys/{name}/disable")
    public ApiKeyResponse disableApiKey(Caller caller, @PathVariable String accountId, @PathVariable String name) {
        Account account = visibleAccount(caller, accountId);
        ApiKeyRepository.Disabled disabled = apiKeys.disable(account.id(), name, now(), caller.crn())
                .orElseThrow(() -> apiKeys.find(account.id(), name).isPresent()
                        ? new BusinessRuleException(ErrorCode.API_KEY_ALREADY_DISABLED)
                        : new NotFoundException(ErrorCode.API_KEY_NOT_FOUND));
        forgetOnceCommitted(disabled.secretHash());
        return ApiKeyResponse.of(disabled.key(), null);
    }

    /**
     * Inside a transaction (an idempotent request's), a request using the key before the commit would read it still
     * enabled and remember it again: forgotten after the commit too.
     */
    private void forgetOnceCommitted(String secretHash) {
        authentication.forget(secretHash);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    authentication.forget(secretHash);
                }
            });
        }
    }

    private Account visibleAccount(Caller caller, String accountId) {
        if (!caller.canAccess(accountId)) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
        return accounts.findById(accountId).orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
