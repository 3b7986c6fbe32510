package com.bankaccounts.platform.account;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.Secrets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ApiKeyRepository {

    private final JdbcClient jdbc;

    public ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the key with the hash of its secret; false when the account already has a key of that name. */
    public boolean insert(ApiKey key, String secret) {
        return jdbc.sql("""
                        INSERT INTO api_keys (account_id, name, role, enabled, secret_hash, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(key.accountId(), key.name(), key.role(), key.enabled(), Secrets.hash(secret),
                        DbTime.of(key.createdAt()), key.createdBy())
                .update() == 1;
    }

    public List<ApiKey> findByAccount(String accountId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE account_id = ? ORDER BY created_at, name")
                .param(accountId)
                .query(ApiKeyRepository::apiKey)
                .list();
    }

    public Optional<ApiKey> find(String accountId, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE account_id = ? AND name = ?")
                .params(accountId, name)
                .query(ApiKeyRepository::apiKey)
                .optional();
    }

    /** A key as it is once disabled, with the hash of its secret (to forget it by). */
    public record Disabled(ApiKey key, String secretHash) {
    }

    /** Disables the key if it is enabled; empty when it is unknown or disabled already. */
    public Optional<Disabled> disable(String accountId, String name, Instant at, String by) {
        return jdbc.sql("UPDATE api_keys SET enabled = FALSE, disabled_at = ?, disabled_by = ?"
                        + " WHERE account_id = ? AND name = ? AND enabled RETURNING " + COLUMNS + ", secret_hash")
                .params(DbTime.of(at), by, accountId, name)
                .query((rs, row) -> new Disabled(apiKey(rs, row), rs.getString("secret_hash")))
                .optional();
    }

    private static final String COLUMNS =
            "account_id, name, role, enabled, created_at, created_by, disabled_at, disabled_by";

    private static ApiKey apiKey(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getString("account_id"), rs.getString("name"), rs.getString("role"),
                rs.getBoolean("enabled"), DbTime.read(rs, "created_at"), rs.getString("created_by"),
                DbTime.read(rs, "disabled_at"), rs.getString("disabled_by"));
    }

    public Optional<Caller> findCallerBySecret(String secret) {
        return findCallerByHash(Secrets.hash(secret));
    }

    /** The caller of an enabled key, by the {@link Secrets#hash} of its secret. */
    public Optional<Caller> findCallerByHash(String secretHash) {
        return jdbc.sql("SELECT account_id, name FROM api_keys WHERE secret_hash = ? AND enabled")
                .param(secretHash)
                .query((rs, row) -> Caller.apiKey(rs.getString("account_id"), rs.getString("name")))
                .optional();
    }
}
