package com.bankaccounts.platform.account;

import com.bankaccounts.platform.persistence.DbTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class AccountRepository {

    private final JdbcClient jdbc;

    public AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Account account) {
        jdbc.sql("INSERT INTO accounts (id, name, test, created_at, created_by) VALUES (?, ?, ?, ?, ?)")
                .params(account.id(), account.name(), account.test(), DbTime.of(account.createdAt()), account.createdBy())
                .update();
    }

    public Optional<Account> findById(String id) {
        return jdbc.sql("SELECT id, name, test, created_at, created_by FROM accounts WHERE id = ?")
                .param(id)
                .query((rs, row) -> new Account(rs.getString("id"), rs.getString("name"), rs.getBoolean("test"),
                        DbTime.read(rs, "created_at"), rs.getString("created_by")))
                .optional();
    }

}
