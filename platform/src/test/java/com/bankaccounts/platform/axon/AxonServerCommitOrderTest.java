package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

/**
 * What the README promises for Axon Server rests on Axon's commit order: AxonServerEventStore registers the append's
 * commit while the unit of work prepares its commit, after the command's database transaction was attached, and the
 * commit phase runs its handlers last-registered first. So the append commits before the database (registries, read
 * models), and an append Axon Server refuses rolls the database back.
 */
class AxonServerCommitOrderTest {

    private final List<String> steps = new ArrayList<>();
    private final TransactionManager database = () -> new Transaction() {
        @Override
        public void commit() {
            steps.add("database commit");
        }

        @Override
        public void rollback() {
            steps.add("database rollback");
        }
    };

    /** As SimpleCommandBus attaches the transaction and AxonServerEventStore appends. */
    private void commandWithAppend(Runnable appendCommit) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(database);
        unitOfWork.onPrepareCommit(prepared -> prepared.root().onCommit(committing -> appendCommit.run()));
        unitOfWork.commit();
    }

    @Test
    void theAppendCommitsBeforeTheDatabase() {
        commandWithAppend(() -> steps.add("append"));
        assertThat(steps).containsExactly("append", "database commit");
    }

    @Test
    void aRefusedAppendRollsTheDatabaseBack() {
        assertThatThrownBy(() -> commandWithAppend(() -> {
            throw new IllegalStateException("append refused");
        })).hasMessage("append refused");
        assertThat(steps).containsExactly("database rollback");
    }
}
