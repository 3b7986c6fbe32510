package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.approval.ApprovalSummary;
import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.CreateBankAccountCommand;
import com.bankaccounts.api.bankaccount.DirectDebitAuthority;
import com.bankaccounts.api.bankaccount.VerificationOutcome;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.command.common.CallerCommands;
import com.bankaccounts.platform.account.Account;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.persistence.DbTime;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What the bank account endpoints (current and deprecated) share: access checks, input checks, dispatch. */
@Service
public class BankAccountCommands {

    private final CallerCommands commands;
    private final AccountRepository accounts;
    private final BankAccountRegistry registry;
    private final VerificationCodes verificationCodes;
    private final JdbcClient jdbc;

    public BankAccountCommands(CallerCommands commands, AccountRepository accounts, BankAccountRegistry registry,
                               VerificationCodes verificationCodes, JdbcClient jdbc) {
        this.commands = commands;
        this.accounts = accounts;
        this.registry = registry;
        this.verificationCodes = verificationCodes;
        this.jdbc = jdbc;
    }

    public BankAccountResponse create(Caller caller, String requestedAccountId, String rawNumber, String name,
                                      DirectDebitAuthority authority) {
        String accountId = requestedAccountId != null ? requestedAccountId : caller.accountId();
        if (accountId == null) {
            throw ApiException.badRequest("accountId is required");
        }
        if (!caller.canAccess(accountId)) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
        Account account = accounts.findById(accountId)
                .orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND));
        String number = BankAccountNumbers.canonical(rawNumber).orElseThrow(() -> ApiException.badRequest(
                "bankAccountNumber must be a New Zealand bank account number like 12-3140-0123456-000"));
        if (!account.test() && !BankAccountNumbers.hasValidCheckDigits(number)) {
            throw ApiException.badRequest("bankAccountNumber is not a valid New Zealand bank account number");
        }
        return commands.send(caller, new CreateBankAccountCommand(Ids.newId(), account.id(), number, name.trim(),
                account.test(), authority));
    }

    public BankAccountResponse authorizeDirectDebit(Caller caller, String bankAccountId,
                                                    DirectDebitAuthority authority) {
        requireVisible(caller, bankAccountId, ErrorCode.BANK_ACCOUNT_NOT_FOUND);
        BankAccountResponse authorized = commands.send(caller, new AuthorizeDirectDebitCommand(bankAccountId, authority));
        // Bridge until this class goes (the approvals branch removed ApprovalSummaries): the registry's summaries.
        return authorized.withApprovals(jdbc.sql("""
                        SELECT type, status, updated_at FROM approval_registry
                        WHERE bank_account_id = ? ORDER BY updated_at, approval_id""")
                .param(bankAccountId)
                .query((rs, row) -> new ApprovalSummary(rs.getString("type"), rs.getString("status"),
                        Timestamps.format(DbTime.read(rs, "updated_at"))))
                .list());
    }

    /** Answers normally only for the right code; a wrong one is recorded, then refused. */
    public void verify(Caller caller, String bankAccountId, String code, ErrorCode notFound) {
        requireVisible(caller, bankAccountId, notFound);
        VerificationCodes.RecentCodes codes = verificationCodes.recentCodesFor(bankAccountId);
        VerificationOutcome outcome = commands.send(caller,
                new VerifyBankAccountCommand(bankAccountId, code, codes.own(), codes.otherAccounts()));
        switch (outcome) {
            case VERIFIED -> {
            }
            case ACCOUNT_MISMATCH -> throw new BusinessRuleException(ErrorCode.ACCOUNT_MISMATCH);
            case CODE_INVALID -> throw new BusinessRuleException(ErrorCode.VERIFICATION_CODE_INVALID);
        }
    }

    private void requireVisible(Caller caller, String bankAccountId, ErrorCode notFound) {
        if (!Ids.isWellFormed(bankAccountId)
                || !caller.canAccessOwnedBy(registry.ownerOf(bankAccountId))) {
            throw new NotFoundException(notFound);
        }
    }
}
