package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.audit.EventSeals;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The event store's seals: a clean store verifies, and each way of changing stored events with SQL is found. Each
 * test puts back what it changed (the database is shared by the run's test classes).
 */
class EventSealsApiTest extends ApiTestSupport {

    private static final String VERIFY = "/api/admin/audit/verify";

    @Autowired
    private EventSeals seals;

    @Autowired
    private DataSource dataSource;

    private final List<String> backups = new ArrayList<>();

    @BeforeEach
    void storeVerifiesBefore() {
        assertVerified();
    }

    @AfterEach
    void restore() {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        for (String aggregate : backups) {
            transaction.executeWithoutResult(status -> {
                // Put back the rows exactly as they were: their seals and transaction ids, so not through the trigger.
                jdbc.sql("ALTER TABLE domain_event_entry DISABLE TRIGGER seal_domain_event").update();
                jdbc.sql("DELETE FROM domain_event_entry WHERE aggregate_identifier = ?").param(aggregate).update();
                jdbc.sql("INSERT INTO domain_event_entry SELECT * FROM " + backupTable(aggregate)).update();
                jdbc.sql("ALTER TABLE domain_event_entry ENABLE TRIGGER seal_domain_event").update();
                jdbc.sql("DROP TABLE " + backupTable(aggregate)).update();
            });
        }
        backups.clear();
        assertVerified();
    }

    @Test
    void aCleanStoreVerifiesForTheAdminOnly() {
        TestAccount account = newAccount(true);
        bankAccountWithFourEvents(account);
        checkpointCovering(newBankAccount(account));

        Response verified = api.get(VERIFY, ADMIN_KEY);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("verified").asBoolean()).isTrue();
        assertThat(verified.json().get("events").asLong()).isPositive();
        assertThat(verified.json().has("firstBreak")).isFalse();
        assertThat(verified.json().get("checkpoints").asLong()).isPositive();
        assertThat(verified.json().get("lastCheckpoint").get("seal").asString()).matches("[0-9a-f]{64}");

        assertRefused(api.get(VERIFY, account.key()), 403, "ADMIN_KEY_REQUIRED");
        assertThat(api.get(VERIFY, null).status()).isEqualTo(401);
    }

    @Test
    void aChangedPayloadIsFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        int changed = jdbc.sql("""
                        UPDATE domain_event_entry
                        SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'John Doe', 'Jane Roe'), 'UTF8')
                        WHERE aggregate_identifier = ? AND sequence_number = 0""")
                .param(bankAccountId).update();
        assertThat(changed).isEqualTo(1);

        assertBrokenAt(bankAccountId, 0, "seal-mismatch");
    }

    @Test
    void changedMetadataIsFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        int changed = jdbc.sql("""
                        UPDATE domain_event_entry
                        SET meta_data = convert_to(replace(convert_from(meta_data, 'UTF8'), 'MyApiKey', 'Other'), 'UTF8')
                        WHERE aggregate_identifier = ? AND sequence_number = 2""")
                .param(bankAccountId).update();
        assertThat(changed).isEqualTo(1);

        assertBrokenAt(bankAccountId, 2, "seal-mismatch");
    }

    @Test
    void anEventDeletedMidStreamIsFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        assertThat(jdbc.sql("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 1")
                .param(bankAccountId).update()).isEqualTo(1);

        assertBrokenAt(bankAccountId, 2, "sequence-gap");
    }

    @Test
    void twoEventsWithSwappedSequenceNumbersAreFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        for (String swap : List.of("UPDATE domain_event_entry SET sequence_number = -1 WHERE aggregate_identifier = ?"
                        + " AND sequence_number = 1",
                "UPDATE domain_event_entry SET sequence_number = 1 WHERE aggregate_identifier = ? AND sequence_number = 2",
                "UPDATE domain_event_entry SET sequence_number = 2 WHERE aggregate_identifier = ? AND sequence_number = -1")) {
            assertThat(jdbc.sql(swap).param(bankAccountId).update()).isEqualTo(1);
        }

        JsonNode firstBreak = assertBroken(bankAccountId);
        assertThat(firstBreak.get("sequence").asLong()).isIn(1L, 2L);
        assertThat(firstBreak.get("reason").asString()).isEqualTo("seal-mismatch");
    }

    @Test
    void aWholeStreamDeletedBeforeTheLastCheckpointIsFound() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountWithFourEvents(account);
        long checkpoint = checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        assertThat(jdbc.sql("DELETE FROM domain_event_entry WHERE aggregate_identifier = ?").param(bankAccountId)
                .update()).isEqualTo(4);

        Response verified = api.get(VERIFY, ADMIN_KEY);
        assertThat(verified.json().get("verified").asBoolean()).as(verified.toString()).isFalse();
        JsonNode firstBreak = verified.json().get("firstBreak");
        assertThat(firstBreak.get("checkpoint").asLong()).as(verified.toString()).isEqualTo(checkpoint);
        assertThat(firstBreak.get("reason").asString()).isEqualTo("checkpoint-heads-mismatch");
    }

    @Test
    void theLastEventsOfAStreamDeletedBeforeTheLastCheckpointAreFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        long checkpoint = checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        assertThat(jdbc.sql("DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number >= 2")
                .param(bankAccountId).update()).isEqualTo(2);

        JsonNode firstBreak = api.get(VERIFY, ADMIN_KEY).json().get("firstBreak");
        assertThat(firstBreak.get("checkpoint").asLong()).as(firstBreak.toString()).isEqualTo(checkpoint);
    }

    @Test
    void aChangedGlobalIndexIsFound() {
        String bankAccountId = bankAccountWithFourEvents(newAccount(true));
        checkpointCovering(bankAccountId);
        backUp(bankAccountId);

        assertThat(jdbc.sql("""
                        UPDATE domain_event_entry SET global_index = (SELECT max(global_index) + 1000 FROM domain_event_entry)
                        WHERE aggregate_identifier = ? AND sequence_number = 3""")
                .param(bankAccountId).update()).isEqualTo(1);

        assertBrokenAt(bankAccountId, 3, "seal-mismatch");
    }

    @Test
    void parallelWritersStillSealEveryStream() throws Exception {
        List<TestAccount> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(newAccount(true));
        }
        String shared = createBankAccountWithAuthority(accounts.get(0), uniqueTestNumber()).text("id");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TestAccount account = accounts.get(i % accounts.size());
            calls.add(() -> createBankAccountWithAuthority(account, uniqueTestNumber()));
            // Appends racing on one stream: conflicts are retried, each lands once in the chain.
            calls.add(() -> api.post("/api/bank-accounts/" + shared + "/verify", accounts.get(0).key(),
                    ApiClient.map("verificationCode", "0000")));
        }
        calls.add(() -> {
            seals.checkpoint();
            return null;
        });
        List<Response> responses = inParallel(calls);
        assertThat(responses.stream().filter(r -> r != null && r.status() == 200).count()).isEqualTo(16);
        assertThat(responses.stream().filter(r -> r != null && r.status() >= 500).toList()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?").param(shared)
                .query(Long.class).single()).as("created, authorized, three failed attempts").isEqualTo(5);

        checkpointCovering(shared);
        Response verified = api.get(VERIFY, ADMIN_KEY);
        assertThat(verified.json().get("verified").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.json().get("events").asLong()).isEqualTo(eventCount());
    }

    @Test
    void aCheckpointWaitsForOlderTransactionsOfThisDatabase() throws Exception {
        try (Connection older = dataSource.getConnection()) {
            older.setAutoCommit(false);
            long olderXid;
            try (Statement statement = older.createStatement();
                 ResultSet xid = statement.executeQuery("SELECT pg_current_xact_id()::TEXT::BIGINT")) {
                xid.next();
                olderXid = xid.getLong(1);
            }
            // Appended after the older transaction began: had it appended too, its events would commit later still.
            String bankAccountId = newBankAccount(newAccount(true));
            long appendedXid = jdbc.sql("SELECT max(sealed_xid) FROM domain_event_entry WHERE aggregate_identifier = ?")
                    .param(bankAccountId).query(Long.class).single();
            assertThat(appendedXid).isGreaterThan(olderXid);

            seals.checkpoint();
            assertThat(jdbc.sql("SELECT coalesce(max(xid_to), 0) FROM event_seal_checkpoint").query(Long.class).single())
                    .as("no checkpoint passes a transaction of this database that is still running")
                    .isLessThanOrEqualTo(olderXid);
            older.commit();
            checkpointCovering(bankAccountId);
        }
        assertVerified();
    }

    /** A range without events gets no checkpoint: every checkpoint seals at least one event. */
    @Test
    void noCheckpointIsWrittenForARangeWithoutEvents() {
        checkpointCovering(newBankAccount(newAccount(true)));
        for (int i = 0; i < 3; i++) {
            seals.checkpoint().ifPresent(made -> assertThat(made.events()).as(made.toString()).isPositive());
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_seal_checkpoint WHERE events = 0").query(Long.class).single())
                .isZero();
    }

    /**
     * A store restored from a logical dump into another cluster, whose transaction ids start again below the last
     * checkpoint's end: stood in for by a checkpoint that ends far ahead. No checkpoint is made, and the check says
     * why, not that a stream was removed. Before, checkpoints stopped without a word, and the check named new events
     * in old ranges as removed ones.
     */
    @Test
    void transactionIdsBehindTheLastCheckpointAreSaid() {
        checkpointCovering(newBankAccount(newAccount(true)));
        long ahead = jdbc.sql("""
                        INSERT INTO event_seal_checkpoint (id, xid_from, xid_to, events, streams, heads_digest, seal)
                        SELECT l.id + 1, l.xid_to, l.xid_to + 1000000000000, h.events, h.streams, h.digest,
                               event_seal_checkpoint_seal(l.seal, l.id + 1, l.xid_to, l.xid_to + 1000000000000,
                                                          h.events, h.streams, h.digest)
                        FROM (SELECT * FROM event_seal_checkpoint ORDER BY id DESC LIMIT 1) l
                                 CROSS JOIN LATERAL event_seal_heads(l.xid_to, l.xid_to + 1000000000000) h
                        RETURNING id""").query(Long.class).single();
        try {
            newBankAccount(newAccount(true));
            assertThat(seals.checkpoint()).isEmpty();
            Response verified = api.get(VERIFY, ADMIN_KEY);
            assertThat(verified.json().get("verified").asBoolean()).as(verified.toString()).isFalse();
            JsonNode firstBreak = verified.json().get("firstBreak");
            assertThat(firstBreak.get("checkpoint").asLong()).as(firstBreak.toString()).isEqualTo(ahead);
            assertThat(firstBreak.get("reason").asString()).isEqualTo("transaction-ids-behind");
        } finally {
            jdbc.sql("DELETE FROM event_seal_checkpoint WHERE id = ?").param(ahead).update();
        }
    }

    /** A bank account whose stream has four events: created, direct debit authorized, two failed verifications. */
    private String bankAccountWithFourEvents(TestAccount account) {
        Response created = createBankAccountWithAuthority(account, uniqueTestNumber());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String id = created.text("id");
        for (int i = 0; i < 2; i++) {
            Response refused = api.post("/api/bank-accounts/" + id + "/verify", account.key(),
                    ApiClient.map("verificationCode", "0000"));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?").param(id)
                .query(Long.class).single()).isEqualTo(4);
        return id;
    }

    /**
     * Makes checkpoints until one covers the whole stream (a transaction of this database still running holds
     * the horizon back for a while) and answers its id.
     */
    private long checkpointCovering(String aggregate) {
        long lastXid = jdbc.sql("SELECT max(sealed_xid) FROM domain_event_entry WHERE aggregate_identifier = ?")
                .param(aggregate).query(Long.class).single();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seals.checkpoint();
            return jdbc.sql("SELECT COUNT(*) FROM event_seal_checkpoint WHERE xid_to > ?").param(lastXid)
                    .query(Long.class).single() > 0;
        });
        return jdbc.sql("SELECT id FROM event_seal_checkpoint WHERE xid_from <= ? AND ? < xid_to")
                .params(lastXid, lastXid).query(Long.class).single();
    }

    private void backUp(String aggregate) {
        jdbc.sql("CREATE TABLE " + backupTable(aggregate)
                + " AS SELECT * FROM domain_event_entry WHERE aggregate_identifier = ?").param(aggregate).update();
        backups.add(aggregate);
    }

    private static String backupTable(String aggregate) {
        return "tamper_backup_" + aggregate.toLowerCase();
    }

    private JsonNode assertBroken(String aggregate) {
        Response verified = api.get(VERIFY, ADMIN_KEY);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("verified").asBoolean()).as(verified.toString()).isFalse();
        assertThat(verified.json().get("events").asLong()).isEqualTo(eventCount());
        JsonNode firstBreak = verified.json().get("firstBreak");
        assertThat(firstBreak.get("aggregate").asString()).as(verified.toString()).isEqualTo(aggregate);
        assertThat(firstBreak.get("aggregateType").asString()).isEqualTo("BankAccount");
        return firstBreak;
    }

    private void assertBrokenAt(String aggregate, long sequence, String reason) {
        JsonNode firstBreak = assertBroken(aggregate);
        assertThat(firstBreak.get("sequence").asLong()).as(firstBreak.toString()).isEqualTo(sequence);
        assertThat(firstBreak.get("reason").asString()).as(firstBreak.toString()).isEqualTo(reason);
    }

    private void assertVerified() {
        Response verified = api.get(VERIFY, ADMIN_KEY);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().get("verified").asBoolean()).as(verified.toString()).isTrue();
    }
}
