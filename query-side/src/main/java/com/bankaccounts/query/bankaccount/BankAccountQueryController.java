package com.bankaccounts.query.bankaccount;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads of bank accounts, and of the deprecated bank authorities (the same resources). */
@RestController
public class BankAccountQueryController {

    private final BankAccountQueries bankAccounts;
    private final AccountRepository accounts;

    public BankAccountQueryController(BankAccountQueries bankAccounts, AccountRepository accounts) {
        this.bankAccounts = bankAccounts;
        this.accounts = accounts;
    }

    @ErrorCodes(notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @GetMapping("/api/bank-accounts/{bankAccountId}")
    public BankAccountResponse get(Caller caller, @PathVariable String bankAccountId) {
        return visible(caller, bankAccountId, ErrorCode.BANK_ACCOUNT_NOT_FOUND);
    }

    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/accounts/{accountId}/bank-accounts")
    public List<BankAccountResponse> list(Caller caller, @PathVariable String accountId) {
        if (!caller.canAccess(accountId) || accounts.findById(accountId).isEmpty()) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
        return bankAccounts.findByAccount(accountId);
    }

    @ErrorCodes(notFound = ErrorCode.BANK_AUTHORITY_NOT_FOUND)
    @GetMapping("/api/bank-authorities/{bankAccountId}")
    public BankAccountResponse getAuthority(Caller caller, @PathVariable String bankAccountId) {
        return visible(caller, bankAccountId, ErrorCode.BANK_AUTHORITY_NOT_FOUND);
    }

    /** The caller's own account; the admin key, which has none, names one with {@code ?accountId=}. */
    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/bank-authorities")
    public List<BankAccountResponse> listAuthorities(Caller caller,
                                                     @RequestParam(required = false) String accountId) {
        String target = accountId != null ? accountId : caller.accountId();
        if (target == null) {
            throw ApiException.badRequest("accountId is required with the admin key");
        }
        return list(caller, target);
    }

    private BankAccountResponse visible(Caller caller, String bankAccountId, ErrorCode notFound) {
        return bankAccounts.find(bankAccountId)
                .filter(found -> caller.canAccess(found.accountId()))
                .orElseThrow(() -> new NotFoundException(notFound));
    }
}
