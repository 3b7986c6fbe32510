package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.approval.ApprovalSummary;
import java.util.List;

/** The approvals a bank account shows in its responses. */
public interface ApprovalSummaries {

    List<ApprovalSummary> of(String bankAccountId);
}
