package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.ConnectionIntentType;
import com.bankaccounts.command.connectionintent.provider.OAuth2Provider;
import com.bankaccounts.platform.web.NameText;
import com.bankaccounts.platform.web.RequestBodyRules;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Request bodies of the connection intent and bank account request endpoints. */
final class ConnectionIntentRequests {

    static final String REQUIRED = "is required";
    static final String CENTS = "[1-9][0-9]{0,11}";
    static final String CENTS_MESSAGE = "must be a positive number of cents, at most 12 digits";

    /** Current names and the older revision's aliases. */
    static final Map<String, ConnectionIntentType> INTENT_TYPES = Map.of(
            "account-information-consent", ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT,
            "quartz-accounts", ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT,
            "enduring-payment-consent", ConnectionIntentType.ENDURING_PAYMENT_CONSENT,
            "quartz-payment", ConnectionIntentType.ENDURING_PAYMENT_CONSENT);

    static final Map<String, ConnectionIntentType> REQUEST_TYPES = Map.of(
            "quartz-details", ConnectionIntentType.ACCOUNT_INFORMATION_CONSENT,
            "quartz-payment", ConnectionIntentType.ENDURING_PAYMENT_CONSENT);

    private ConnectionIntentRequests() {
    }

    record CreateConnectionIntentRequest(
            @NotBlank(message = REQUIRED) @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) String type,
            @Pattern(regexp = RequestBodyRules.NOT_BLANK, message = RequestBodyRules.NOT_BLANK_MESSAGE)
            @Size(max = 32) String bankAccountId,
            Boolean test,
            @Pattern(regexp = RequestBodyRules.NOT_BLANK, message = RequestBodyRules.NOT_BLANK_MESSAGE)
            @NameText @Size(max = 200) String name,
            String period,
            @Pattern(regexp = CENTS, message = CENTS_MESSAGE) String totalAmount,
            @Size(max = 2000) String redirectUri,
            @Size(max = 40) String expiresAt) {
    }

    record CreateBankAccountRequestRequest(
            @NotBlank(message = REQUIRED) @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) String type,
            @Pattern(regexp = RequestBodyRules.NOT_BLANK, message = RequestBodyRules.NOT_BLANK_MESSAGE)
            @Size(max = 32) String bankAccountId,
            @Size(max = 2000) String redirectUri) {
    }

    /**
     * RFC 6749's VSCHAR, all a code or state can hold (appendix A.11, A.5): anything else is the client's encoding
     * mistake, refused before the code is spent, rather than a code the provider refuses, which fails the intent.
     */
    static final String VSCHARS = OAuth2Provider.VSCHAR + "*";
    static final String VSCHARS_MESSAGE = "must be printable ASCII, as OAuth 2.0 gives it (RFC 6749)";

    /** {@code code}, or {@code error} as the provider's redirect carried it (the user refused: access_denied). */
    record AuthorizeRequest(@Size(max = 2048) @Pattern(regexp = VSCHARS, message = VSCHARS_MESSAGE) String code,
                            @Size(max = 128) @Pattern(regexp = VSCHARS, message = VSCHARS_MESSAGE) String state,
                            @Size(max = 64) String error) {
    }
}
