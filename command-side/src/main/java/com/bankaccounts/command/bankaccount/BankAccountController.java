package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.command.bankaccount.BankAccountRequests.CreateBankAccountRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.DirectDebitAuthorityRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyResponse;
import com.bankaccounts.platform.security.Caller;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class BankAccountController {

    private final BankAccountCommands bankAccounts;

    public BankAccountController(BankAccountCommands bankAccounts) {
        this.bankAccounts = bankAccounts;
    }

    @PostMapping("/api/bank-accounts")
    public BankAccountResponse create(Caller caller, @Valid @RequestBody CreateBankAccountRequest request) {
        DirectDebitAuthorityRequest authority = request.directDebitAuthority();
        return bankAccounts.create(caller, request.accountId(), request.bankAccountNumber(),
                request.bankAccountName(), authority == null ? null : authority.toAuthority());
    }

    @PostMapping("/api/bank-accounts/{bankAccountId}/direct-debit-authorities")
    public BankAccountResponse authorizeDirectDebit(Caller caller, @PathVariable String bankAccountId,
                                                    @Valid @RequestBody DirectDebitAuthorityRequest request) {
        return bankAccounts.authorizeDirectDebit(caller, bankAccountId, request.toAuthority());
    }

    @PostMapping("/api/bank-accounts/{bankAccountId}/verify")
    public VerifyResponse verify(Caller caller, @PathVariable String bankAccountId,
                                 @Valid @RequestBody VerifyRequest request) {
        bankAccounts.verify(caller, bankAccountId, request.verificationCode(), ErrorCode.BANK_ACCOUNT_NOT_FOUND);
        return new VerifyResponse(request.verificationCode());
    }
}
