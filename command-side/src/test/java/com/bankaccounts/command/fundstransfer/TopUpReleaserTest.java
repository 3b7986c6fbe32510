package com.bankaccounts.command.fundstransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.api.bankaccount.BankAccountVerifiedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.command.bankaccount.FakeBankAccountRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The release flow: the handler, a real event-sourcing repository of transfers, and an in-memory event store. */
class TopUpReleaserTest {

    private static final String BANK_ACCOUNT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ACCOUNT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    private EmbeddedEventStore eventStore;
    private FakeBankAccountRegistry registry;
    private ListedTransfers codes;
    private TopUpReleaser releaser;

    @BeforeEach
    void setUp() {
        eventStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        registry = new FakeBankAccountRegistry();
        codes = new ListedTransfers();
        releaser = new TopUpReleaser(registry, codes,
                EventSourcingRepository.builder(FundsTransfer.class).eventStore(eventStore).build());
    }

    @Test
    void aSettledTopUpIsReleasedAndCompleted() {
        given("settled", created("settled", FundsTransferType.TOPUP), new FundsTransferSettledEvent("settled"));

        verified();

        assertThat(eventsOf("settled")).containsExactly(created("settled", FundsTransferType.TOPUP),
                new FundsTransferSettledEvent("settled"), new TopUpFundsReleasedEvent("settled"),
                new FundsTransferCompletedEvent("settled"));
    }

    @Test
    void everyPendingTopUpIsReleasedAndAnUnsettledOneAwaitsSettlement() {
        given("first", created("first", FundsTransferType.TOPUP));
        given("second", created("second", FundsTransferType.TOPUP), new FundsTransferSettledEvent("second"));

        verified();

        assertThat(eventsOf("first")).endsWith(new TopUpFundsReleasedEvent("first"));
        assertThat(eventsOf("second")).endsWith(new TopUpFundsReleasedEvent("second"),
                new FundsTransferCompletedEvent("second"));
    }

    @Test
    void aTopUpReleasedAtCreationIsLeftAsItIs() {
        given("released", created("released", FundsTransferType.TOPUP), new TopUpFundsReleasedEvent("released"));

        verified();

        assertThat(eventsOf("released")).hasSize(2);
    }

    @Test
    void theBankAccountsRowIsLockedBeforeTheTopUpsAreListed() {
        verified();

        assertThat(registry.locked()).containsExactly(BANK_ACCOUNT_ID);
        assertThat(codes.listedAfterLock).isTrue();
    }

    @Test
    void aWithdrawalHoldsNothingToRelease() {
        given("withdrawal", created("withdrawal", FundsTransferType.WITHDRAWAL));

        assertThatThrownBy(this::verified).isInstanceOf(IllegalStateException.class);
    }

    private void given(String fundsTransferId, Object... events) {
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            messages.add(new GenericDomainEventMessage<>("FundsTransfer", fundsTransferId, i, events[i]));
        }
        eventStore.publish(messages);
        codes.topUps.add(fundsTransferId);
    }

    private void verified() {
        DefaultUnitOfWork.startAndGet(null).execute(() -> releaser.on(new BankAccountVerifiedEvent(BANK_ACCOUNT_ID,
                "4829")));
    }

    private List<Object> eventsOf(String fundsTransferId) {
        return eventStore.readEvents(fundsTransferId).asStream().<Object>map(DomainEventMessage::getPayload).toList();
    }

    private static FundsTransferCreatedEvent created(String fundsTransferId, FundsTransferType type) {
        return new FundsTransferCreatedEvent(fundsTransferId, ACCOUNT_ID, BANK_ACCOUNT_ID, type, 2500, "0427", false);
    }

    /** Lists the given transfers as the bank account's top ups (the real table lists only top ups). */
    private final class ListedTransfers extends FundsTransferCodes {

        private final List<String> topUps = new ArrayList<>();
        private boolean listedAfterLock;

        ListedTransfers() {
            super(null, Duration.ofDays(30));
        }

        @Override
        List<String> topUpsOf(String bankAccountId) {
            listedAfterLock = registry.locked().contains(bankAccountId);
            return topUps;
        }
    }
}
