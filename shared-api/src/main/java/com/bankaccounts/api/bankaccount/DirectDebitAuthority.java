package com.bankaccounts.api.bankaccount;

/** The holder's consent to direct debits: all three fields or none. */
public record DirectDebitAuthority(String phoneNumber, String fullName, String emailAddress) {
}
