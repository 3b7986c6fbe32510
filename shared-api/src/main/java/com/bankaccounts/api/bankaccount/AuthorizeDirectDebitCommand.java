package com.bankaccounts.api.bankaccount;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AuthorizeDirectDebitCommand(@TargetAggregateIdentifier String bankAccountId,
                                          DirectDebitAuthority directDebitAuthority) {
}
