package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.platform.crypto.TokenCipher;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Requests approvals. The bank account's registry row is locked first, so two requests for one bank account take
 * turns and the second sees the first's settlement approval in progress. The refresh token is encrypted here,
 * before it becomes part of an event.
 */
@Component
public class ApprovalRequestHandler {

    private final Repository<Approval> repository;
    private final BankAccountRegistry bankAccounts;
    private final ApprovalRegistry approvals;
    private final TokenCipher cipher;

    public ApprovalRequestHandler(Repository<Approval> repository, BankAccountRegistry bankAccounts,
                                  ApprovalRegistry approvals, TokenCipher cipher) {
        this.repository = repository;
        this.bankAccounts = bankAccounts;
        this.approvals = approvals;
        this.cipher = cipher;
    }

    @CommandHandler
    public ApprovalResponse handle(RequestApprovalCommand command) throws Exception {
        bankAccounts.lock(command.bankAccountId())
                .filter(bankAccount -> bankAccount.accountId().equals(command.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        if (command.type() == ApprovalType.SETTLEMENT && approvals.hasSettlementAwaitingReview(command.bankAccountId())) {
            throw new BusinessRuleException(ErrorCode.APPROVAL_ALREADY_IN_PROGRESS);
        }
        String encryptedRefreshToken = cipher.encrypt(command.refreshToken());
        Aggregate<Approval> approval = repository.newInstance(() -> new Approval(command, encryptedRefreshToken));
        return approval.invoke(created -> created.toResponse(cipher));
    }
}
