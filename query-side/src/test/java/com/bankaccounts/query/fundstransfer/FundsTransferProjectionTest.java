package com.bankaccounts.query.fundstransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.fundstransfer.FindFundsTransferQuery;
import com.bankaccounts.api.fundstransfer.FundsTransferCompletedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferCreatedEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferSettledEvent;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.TopUpFundsReleasedEvent;
import com.bankaccounts.query.ReadModelDatabase;
import com.bankaccounts.query.fundstransfer.FundsTransferReadModel.StoredTransfer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The projection's handlers against the real table; what a transfer's POSTs and GET answer. */
class FundsTransferProjectionTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final Instant POSTED = Instant.parse("2026-03-02T08:00:00.5Z");
    private static final Instant DONE = Instant.parse("2026-03-03T09:30:00Z");
    private static final String OWNER = "crn:acct:api-key:MyApiKey";
    private static final String ADMIN = "crn::api-key:admin";

    private FundsTransferProjection projection;
    private FundsTransferReadModel readModel;
    private String fundsTransferId;
    private String accountId;
    private String bankAccountId;

    @BeforeEach
    void setUp() {
        readModel = new FundsTransferReadModel(ReadModelDatabase.jdbc());
        projection = new FundsTransferProjection(readModel);
        fundsTransferId = Ids.newId();
        accountId = Ids.newId();
        bankAccountId = Ids.newId();
    }

    @Test
    void aCreatedTransferAnswersWithoutItsCode() {
        projection.on(created(false), CREATED, OWNER, 0);

        assertThat(find()).isEqualTo(new FundsTransferResponse(fundsTransferId, accountId, bankAccountId, "topup",
                "2500", FundsTransferResponse.STATUS_CREATED, null, null, "2026-03-01T10:15:30.123Z", OWNER,
                "2026-03-01T10:15:30.123Z", OWNER));
    }

    @Test
    void testDataSaysSo() {
        projection.on(created(true), CREATED, OWNER, 0);

        assertThat(find().test()).isTrue();
    }

    @Test
    void aSettlementPostsItWithItsCodeButLeavesItCreated() {
        projection.on(created(false), CREATED, OWNER, 0);
        projection.on(new FundsTransferSettledEvent(fundsTransferId), POSTED, ADMIN, 1);

        StoredTransfer stored = readModel.findById(fundsTransferId).orElseThrow();
        assertThat(stored.postedAt()).isEqualTo(POSTED);
        assertThat(stored.verificationCode()).isEqualTo("0427");
        assertThat(stored.response().status()).isEqualTo(FundsTransferResponse.STATUS_CREATED);
        assertThat(stored.response().updatedBy()).isEqualTo(ADMIN);
        assertThat(readModel.findPostedByBankAccount(bankAccountId)).hasSize(1);
    }

    @Test
    void completionMakesItDoneAndUpdated() {
        projection.on(created(false), CREATED, OWNER, 0);
        projection.on(new FundsTransferSettledEvent(fundsTransferId), POSTED, ADMIN, 1);
        projection.on(new TopUpFundsReleasedEvent(fundsTransferId), 2);
        projection.on(new FundsTransferCompletedEvent(fundsTransferId), DONE, ADMIN, 3);

        FundsTransferResponse found = find();
        assertThat(found.status()).isEqualTo(FundsTransferResponse.STATUS_DONE);
        assertThat(found.updatedAt()).isEqualTo("2026-03-03T09:30:00.000Z");
        assertThat(found.updatedBy()).isEqualTo(ADMIN);
        assertThat(found.createdBy()).isEqualTo(OWNER);
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        projection.on(created(false), CREATED, OWNER, 0);
        projection.on(new TopUpFundsReleasedEvent(fundsTransferId), 1);
        projection.on(new FundsTransferSettledEvent(fundsTransferId), POSTED, ADMIN, 2);
        projection.on(new FundsTransferCompletedEvent(fundsTransferId), DONE, ADMIN, 3);
        FundsTransferResponse before = find();

        projection.on(created(false), CREATED, OWNER, 0);
        projection.on(new FundsTransferSettledEvent(fundsTransferId), DONE, OWNER, 2);
        projection.on(new FundsTransferCompletedEvent(fundsTransferId), Instant.parse("2026-05-01T00:00:00Z"),
                OWNER, 3);

        assertThat(find()).isEqualTo(before);
        assertThat(readModel.findById(fundsTransferId).orElseThrow().postedAt()).isEqualTo(POSTED);
    }

    @Test
    void anUnknownTransferAnswersNothing() {
        assertThat(readModel.handle(new FindFundsTransferQuery(Ids.newId()))).isNull();
    }

    private FundsTransferResponse find() {
        return readModel.handle(new FindFundsTransferQuery(fundsTransferId));
    }

    private FundsTransferCreatedEvent created(boolean test) {
        return new FundsTransferCreatedEvent(fundsTransferId, accountId, bankAccountId, FundsTransferType.TOPUP, 2500,
                "0427", test);
    }
}
