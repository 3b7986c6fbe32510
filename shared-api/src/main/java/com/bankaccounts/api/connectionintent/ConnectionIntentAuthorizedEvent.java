package com.bankaccounts.api.connectionintent;

import java.util.List;

/** The code was exchanged; the consent's approvals (and, for account information, bank accounts) exist. */
public record ConnectionIntentAuthorizedEvent(String connectionIntentId,
                                              String consentId,
                                              List<String> bankAccountIds,
                                              List<String> approvalIds) {
}
