package com.bankaccounts.command.bankaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.api.bankaccount.BankAccountCreatedEvent;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.Claim;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BankAccount#linked}, as a flow calls it: inside {@code Repository.newInstance}, in a unit of work. */
class LinkedBankAccountTest {

    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private static final String NUMBER = "12-1234-1234567-000";

    private EmbeddedEventStore eventStore;
    private Repository<BankAccount> repository;
    private FakeBankAccountRegistry registry;

    @BeforeEach
    void setUp() {
        eventStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        repository = EventSourcingRepository.builder(BankAccount.class).eventStore(eventStore).build();
        registry = new FakeBankAccountRegistry();
    }

    @Test
    void aLinkedBankAccountIsCreatedWithoutAuthority() {
        link();

        assertThat(eventStore.readEvents(BANK_ACCOUNT_ID).asStream().<Object>map(DomainEventMessage::getPayload))
                .containsExactly(new BankAccountCreatedEvent(BANK_ACCOUNT_ID, ACCOUNT_ID, NUMBER, "Everyday", true));
    }

    @Test
    void itHoldsTheSameSetBasedRulesUnderTheBankAccountsCodes() {
        registry.answersClaimsWith(Claim.HOLDER_LIMIT_REACHED);

        assertThatThrownBy(this::link).isInstanceOfSatisfying(BusinessRuleException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED));
        assertThat(eventStore.readEvents(BANK_ACCOUNT_ID).asStream()).isEmpty();
    }

    private void link() {
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> repository.newInstance(() ->
                BankAccount.linked(BANK_ACCOUNT_ID, ACCOUNT_ID, NUMBER, "Everyday", true, registry)))
                .optionalExceptionResult().ifPresent(failure -> {
                    throw (RuntimeException) failure;
                });
    }
}
