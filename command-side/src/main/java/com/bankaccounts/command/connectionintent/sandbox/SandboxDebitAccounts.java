package com.bankaccounts.command.connectionintent.sandbox;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.connectionintent.ConnectionIntentCreatedEvent;
import com.bankaccounts.command.connectionintent.provider.OpenBankingProvider.ProviderAccount;
import java.util.Optional;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * The bank account a payment consent would debit, as its intent named it ({@code bankAccountId}): its name and number
 * from the event store, where the intent's and the bank account's creation events say them (neither changes).
 */
@Component
class SandboxDebitAccounts {

    private final EventStore events;

    SandboxDebitAccounts(EventStore events) {
        this.events = events;
    }

    Optional<ProviderAccount> forIntent(String connectionIntentId) {
        return created(connectionIntentId, ConnectionIntentCreatedEvent.class)
                .map(ConnectionIntentCreatedEvent::bankAccountId)
                .flatMap(bankAccountId -> created(bankAccountId, BankAccountCreatedEvent.class))
                .map(created -> new ProviderAccount(created.bankAccountNumber(), created.bankAccountName()));
    }

    private <T> Optional<T> created(String aggregateId, Class<T> creation) {
        // From sequence 0: readEvents(id) would start at a snapshot.
        DomainEventStream stream = events.readEvents(aggregateId, 0L);
        return stream.hasNext() ? Optional.of(stream.next().getPayload()).filter(creation::isInstance)
                .map(creation::cast) : Optional.empty();
    }
}
