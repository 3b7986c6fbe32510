package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.FindConnectionIntentQuery;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * The bank account a payment consent would debit, as its intent named it ({@code bankAccountId}): its name and number
 * as the API shows them.
 */
@Component
class SandboxDebitAccounts {

    private final QueryGateway queries;

    SandboxDebitAccounts(QueryGateway queries) {
        this.queries = queries;
    }

    Optional<ProviderAccount> forIntent(String connectionIntentId) {
        return Optional.ofNullable(queries.query(new FindConnectionIntentQuery(connectionIntentId),
                        ResponseTypes.instanceOf(ConnectionIntentResponse.class)).join())
                .map(ConnectionIntentResponse::bankAccountId)
                .map(bankAccountId -> queries.query(new FindBankAccountQuery(bankAccountId),
                        ResponseTypes.instanceOf(BankAccountResponse.class)).join())
                .map(bankAccount -> new ProviderAccount(bankAccount.bankAccountNumber(),
                        bankAccount.bankAccountName()));
    }
}
