package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the bank account endpoints, with their shape rules. */
final class BankAccountRequests {

    static final String REQUIRED = "is required";
    static final String E164 = "\\+[1-9][0-9]{6,14}";
    static final String E164_MESSAGE = "must be a phone number in E.164 format, like +64212345678";
    static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    static final String EMAIL_MESSAGE = "must be an email address";

    private BankAccountRequests() {
    }

    record DirectDebitAuthorityRequest(
            @NotBlank(message = REQUIRED) @Pattern(regexp = E164, message = E164_MESSAGE) String phoneNumber,
            @NotBlank(message = REQUIRED) @Size(max = 200) String fullName,
            @NotBlank(message = REQUIRED) @Size(max = 254) @Email(regexp = EMAIL, message = EMAIL_MESSAGE)
            String emailAddress) {

        DirectDebitAuthority toAuthority() {
            return new DirectDebitAuthority(phoneNumber, fullName.trim(), emailAddress);
        }
    }

    record CreateBankAccountRequest(
            @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) @Size(max = 40) String bankAccountNumber,
            @NotBlank(message = REQUIRED) @Size(max = 200) String bankAccountName,
            @Valid DirectDebitAuthorityRequest directDebitAuthority) {

        CreateBankAccountCommand toCommand(String bankAccountId, String accountId) {
            return new CreateBankAccountCommand(bankAccountId, accountId, bankAccountNumber, bankAccountName.trim(),
                    directDebitAuthority == null ? null : directDebitAuthority.toAuthority(),
                    BankAccountFace.BANK_ACCOUNT);
        }
    }

    record CreateBankAuthorityRequest(
            @NotBlank(message = REQUIRED) @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) @Size(max = 200) String fullName,
            @NotBlank(message = REQUIRED) @Pattern(regexp = E164, message = E164_MESSAGE) String phoneNumber,
            @NotBlank(message = REQUIRED) @Size(max = 254) @Email(regexp = EMAIL, message = EMAIL_MESSAGE)
            String emailAddress,
            @NotBlank(message = REQUIRED) @Size(max = 40) String bankAccountNumber,
            @NotBlank(message = REQUIRED) @Size(max = 200) String bankAccountName,
            Boolean directDebitAuthorized) {

        CreateBankAccountCommand toCommand(String bankAccountId) {
            return new CreateBankAccountCommand(bankAccountId, accountId, bankAccountNumber, bankAccountName.trim(),
                    new DirectDebitAuthority(phoneNumber, fullName.trim(), emailAddress),
                    BankAccountFace.BANK_AUTHORITY);
        }
    }

    record VerifyRequest(@NotBlank(message = REQUIRED) @Size(max = 20) String verificationCode) {
    }

    record VerifyResponse(String verificationCode) {
    }
}
