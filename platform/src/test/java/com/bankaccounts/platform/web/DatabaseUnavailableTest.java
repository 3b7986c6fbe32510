package com.bankaccounts.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

class DatabaseUnavailableTest {

    @Test
    void aConnectionErrorAnywhereInTheCausesIsTheDatabaseOutOfReach() {
        assertThat(DatabaseUnavailable.causes(new CompletionException(
                new IllegalStateException(new SQLException("refused", "08001"))))).isTrue();
        assertThat(DatabaseUnavailable.causes(new SQLException("shutting down", "57P01"))).isTrue();
    }

    @Test
    void aRollbackThatFailedOnAClosedConnectionIsTheDatabaseOutOfReach() {
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        assertThat(DatabaseUnavailable.causes(new CompletionException(rollback))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("duplicate key", "23505"))).isFalse();
    }
}
