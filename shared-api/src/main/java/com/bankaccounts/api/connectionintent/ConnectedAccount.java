package com.bankaccounts.api.connectionintent;

/** A bank account as the provider describes it; in events, its number is canonical. */
public record ConnectedAccount(String accountNumber, String name) {
}
