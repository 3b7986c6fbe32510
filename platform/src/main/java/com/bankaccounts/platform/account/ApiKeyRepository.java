package com.bankaccounts.platform.account;

import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.security.Secrets;
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
        return jdbc.sql("""
                        SELECT account_id, name, role, enabled, created_at, created_by
                        FROM api_keys WHERE account_id = ? ORDER BY created_at, name""")
                .param(accountId)
                .query((rs, row) -> new ApiKey(rs.getString("account_id"), rs.getString("name"),
                        rs.getString("role"), rs.getBoolean("enabled"),
                        DbTime.read(rs, "created_at"), rs.getString("created_by")))
                .list();
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
