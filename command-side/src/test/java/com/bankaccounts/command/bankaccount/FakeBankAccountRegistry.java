package com.bankaccounts.command.bankaccount;

import com.bankaccounts.platform.account.Account;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry in memory: answers claims as told, holds bank accounts for lookups, and records what it was asked. */
public class FakeBankAccountRegistry implements BankAccountRegistry {

    private final Map<String, RegisteredBankAccount> held = new HashMap<>();
    private final List<String> claims = new ArrayList<>();
    private final List<String> locked = new ArrayList<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private Claim answer = Claim.CLAIMED;

    public void knows(Account account) {
        accounts.put(account.id(), account);
    }

    public void answersClaimsWith(Claim claim) {
        answer = claim;
    }

    public void holds(RegisteredBankAccount bankAccount) {
        held.put(bankAccount.bankAccountId(), bankAccount);
    }

    /** Each claim as "bankAccountId accountId number test=…". */
    public List<String> claims() {
        return claims;
    }

    public List<String> locked() {
        return locked;
    }

    @Override
    public Optional<Account> lockAccount(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    @Override
    public Claim claim(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
        return claimLocked(bankAccountId, accountId, bankAccountNumber, test);
    }

    @Override
    public Claim claimLocked(String bankAccountId, String accountId, String bankAccountNumber, boolean test) {
        claims.add(bankAccountId + " " + accountId + " " + bankAccountNumber + " test=" + test);
        return answer;
    }

    @Override
    public Optional<RegisteredBankAccount> lock(String bankAccountId) {
        locked.add(bankAccountId);
        return Optional.ofNullable(held.get(bankAccountId));
    }

    @Override
    public Optional<RegisteredBankAccount> find(String bankAccountId) {
        return Optional.ofNullable(held.get(bankAccountId));
    }

    @Override
    public Optional<String> findByAccountAndNumber(String accountId, String bankAccountNumber) {
        return held.values().stream()
                .filter(found -> found.accountId().equals(accountId)
                        && found.bankAccountNumber().equals(bankAccountNumber))
                .map(RegisteredBankAccount::bankAccountId)
                .findFirst();
    }

    @Override
    public Optional<String> ownerOf(String bankAccountId) {
        return Optional.ofNullable(held.get(bankAccountId)).map(RegisteredBankAccount::accountId);
    }

    /** The flags follow events (a subscribing updater), never a command handler. */
    @Override
    public void markDirectDebitAuthorized(String bankAccountId) {
        throw new UnsupportedOperationException("markDirectDebitAuthorized");
    }

    @Override
    public void markVerified(String bankAccountId) {
        throw new UnsupportedOperationException("markVerified");
    }
}
