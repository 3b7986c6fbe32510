package com.bankaccounts.query.bankaccount;

import com.bankaccounts.api.approval.ApprovalSummary;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.query.approval.ApprovalReadModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Bank accounts as the API shows them, with their approvals: what the POSTs and the GETs answer. */
@Component
public class BankAccountQueries {

    private final BankAccountReadModel readModel;
    private final ApprovalReadModel approvals;

    public BankAccountQueries(BankAccountReadModel readModel, ApprovalReadModel approvals) {
        this.readModel = readModel;
        this.approvals = approvals;
    }

    @QueryHandler
    public BankAccountResponse handle(FindBankAccountQuery query) {
        return find(query.bankAccountId()).orElse(null);
    }

    public Optional<BankAccountResponse> find(String bankAccountId) {
        return readModel.findByIdWithApprovals(bankAccountId);
    }

    public List<BankAccountResponse> findByAccount(String accountId) {
        return withApprovals(readModel.findByAccount(accountId));
    }

    private List<BankAccountResponse> withApprovals(List<BankAccountResponse> bankAccounts) {
        Map<String, List<ApprovalSummary>> summaries =
                approvals.summariesOf(bankAccounts.stream().map(BankAccountResponse::id).toList());
        return bankAccounts.stream()
                .map(bankAccount -> bankAccount.withApprovals(summaries.getOrDefault(bankAccount.id(), List.of())))
                .toList();
    }
}
