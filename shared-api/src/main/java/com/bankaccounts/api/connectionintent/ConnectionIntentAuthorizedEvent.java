package com.bankaccounts.api.connectionintent;

import java.util.List;

/**
 * The code was exchanged and the consent is granted. {@code bankAccountIds} and {@code approvalIds} name what the
 * grant links: for account information, one bank account (one the account already held, or a new one) and one
 * account-consent approval per connected account, in the order of {@code connectedAccounts} (canonical numbers, in
 * number order); for a payment consent, the named bank account and one payment-consent approval.
 *
 * <p>Added later, null in older events: {@code accountId}, {@code type}, {@code test}, {@code connectedAccounts},
 * {@code encryptedRefreshToken} (ciphertext; also null when the provider issues no refresh tokens) and
 * {@code paymentTerms}.
 */
public record ConnectionIntentAuthorizedEvent(String connectionIntentId,
                                              String consentId,
                                              List<String> bankAccountIds,
                                              List<String> approvalIds,
                                              String accountId,
                                              ConnectionIntentType type,
                                              Boolean test,
                                              List<ConnectedAccount> connectedAccounts,
                                              String encryptedRefreshToken,
                                              PaymentConsentTerms paymentTerms) {
}
