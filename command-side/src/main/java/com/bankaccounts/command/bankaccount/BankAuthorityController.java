package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.command.bankaccount.BankAccountRequests.CreateBankAuthorityRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyResponse;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The deprecated bank authority endpoints: a bank account created together with its direct debit authority. */
@RestController
public class BankAuthorityController {

    private final BankAccountCommands bankAccounts;

    public BankAuthorityController(BankAccountCommands bankAccounts) {
        this.bankAccounts = bankAccounts;
    }

    @PostMapping("/api/bank-authorities")
    public BankAccountResponse create(Caller caller, @Valid @RequestBody CreateBankAuthorityRequest request) {
        if (Boolean.FALSE.equals(request.directDebitAuthorized())) {
            throw ApiException.badRequest("directDebitAuthorized must be true: a bank authority is a direct debit authority");
        }
        DirectDebitAuthority authority = new DirectDebitAuthority(request.phoneNumber(), request.fullName().trim(),
                request.emailAddress());
        try {
            return bankAccounts.create(caller, request.accountId(), request.bankAccountNumber(),
                    request.bankAccountName(), authority);
        } catch (BusinessRuleException e) {
            throw switch (e.code()) {
                case BANK_ACCOUNT_LIMIT_EXCEEDED -> new BusinessRuleException(ErrorCode.BANK_AUTHORITY_LIMIT_EXCEEDED);
                case BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED ->
                        new BusinessRuleException(ErrorCode.BANK_AUTHORITIES_FOR_BANK_ACCOUNT_EXCEEDED);
                default -> e;
            };
        }
    }

    @PostMapping("/api/bank-authorities/{bankAccountId}/verify")
    public VerifyResponse verify(Caller caller, @PathVariable String bankAccountId,
                                 @Valid @RequestBody VerifyRequest request) {
        bankAccounts.verify(caller, bankAccountId, request.verificationCode(), ErrorCode.BANK_AUTHORITY_NOT_FOUND);
        return new VerifyResponse(request.verificationCode());
    }
}
