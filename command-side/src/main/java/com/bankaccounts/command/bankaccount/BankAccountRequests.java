package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountFace;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.web.NameText;
import com.bankaccounts.platform.web.RequestBodyRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

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
            @NotBlank(message = REQUIRED) @Size(max = 200) @NameText
            String fullName,
            @NotBlank(message = REQUIRED) @Size(max = 254) @Email(regexp = EMAIL, message = EMAIL_MESSAGE)
            String emailAddress) {

        DirectDebitAuthority toAuthority() {
            return new DirectDebitAuthority(phoneNumber, fullName.strip(), emailAddress);
        }
    }

    /**
     * The spec's example nests the direct debit authority's fields in {@code directDebitAuthority}, its table of
     * optional fields lists them beside the bank account's: both are taken, one at a time, and they are required
     * together either way (a client following the table is never silently left without its authority).
     */
    record CreateBankAccountRequest(
            @Pattern(regexp = RequestBodyRules.NOT_BLANK, message = RequestBodyRules.NOT_BLANK_MESSAGE)
            @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) @Size(max = 40) String bankAccountNumber,
            @NotBlank(message = REQUIRED) @Size(max = 200) @NameText
            String bankAccountName,
            @Valid DirectDebitAuthorityRequest directDebitAuthority,
            @Pattern(regexp = E164, message = E164_MESSAGE) String phoneNumber,
            @Size(max = 200) @NameText String fullName,
            @Size(max = 254) @Email(regexp = EMAIL, message = EMAIL_MESSAGE) String emailAddress) {

        CreateBankAccountCommand toCommand(String bankAccountId, String accountId) {
            DirectDebitAuthorityRequest authority = authority();
            return new CreateBankAccountCommand(bankAccountId, accountId, bankAccountNumber, bankAccountName.strip(),
                    authority == null ? null : authority.toAuthority(), BankAccountFace.BANK_ACCOUNT);
        }

        private DirectDebitAuthorityRequest authority() {
            if (phoneNumber == null && fullName == null && emailAddress == null) {
                return directDebitAuthority;
            }
            if (directDebitAuthority != null) {
                throw ApiException.badRequest("phoneNumber, fullName and emailAddress go either in "
                        + "directDebitAuthority or beside bankAccountNumber, not both");
            }
            List<String> missing = new ArrayList<>();
            if (phoneNumber == null) {
                missing.add("phoneNumber");
            }
            if (fullName == null || fullName.isBlank()) {
                missing.add("fullName");
            }
            if (emailAddress == null) {
                missing.add("emailAddress");
            }
            if (!missing.isEmpty()) {
                throw ApiException.badRequest("phoneNumber, fullName and emailAddress are required together: "
                        + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " missing");
            }
            return new DirectDebitAuthorityRequest(phoneNumber, fullName, emailAddress);
        }
    }

    record CreateBankAuthorityRequest(
            @NotBlank(message = REQUIRED) @Size(max = 32) String accountId,
            @NotBlank(message = REQUIRED) @Size(max = 200) @NameText
            String fullName,
            @NotBlank(message = REQUIRED) @Pattern(regexp = E164, message = E164_MESSAGE) String phoneNumber,
            @NotBlank(message = REQUIRED) @Size(max = 254) @Email(regexp = EMAIL, message = EMAIL_MESSAGE)
            String emailAddress,
            @NotBlank(message = REQUIRED) @Size(max = 40) String bankAccountNumber,
            @NotBlank(message = REQUIRED) @Size(max = 200) @NameText
            String bankAccountName,
            Boolean directDebitAuthorized) {

        CreateBankAccountCommand toCommand(String bankAccountId) {
            return new CreateBankAccountCommand(bankAccountId, accountId, bankAccountNumber, bankAccountName.strip(),
                    new DirectDebitAuthority(phoneNumber, fullName.strip(), emailAddress),
                    BankAccountFace.BANK_AUTHORITY);
        }
    }

    /**
     * Codes are 4 digits (FundsTransferCodes): anything else, such as the whole reference pasted, is a 400 that
     * costs none of the bank account's few attempts.
     */
    record VerifyRequest(@NotBlank(message = REQUIRED)
                         @Pattern(regexp = "[0-9]{4}", message = "must be the 4 digits of the statement's reference "
                                 + "(CENTRAPAY 1234: 1234)")
                         String verificationCode) {
    }

    record VerifyResponse(String verificationCode) {
    }
}
