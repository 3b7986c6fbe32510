package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.FindApprovalQuery;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.approval.RevokeApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApprovalController {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final BankAccountRegistry bankAccounts;
    private final ApprovalRegistry approvals;

    public ApprovalController(CommandGateway commands, QueryGateway queries, BankAccountRegistry bankAccounts,
                              ApprovalRegistry approvals) {
        this.commands = commands;
        this.queries = queries;
        this.bankAccounts = bankAccounts;
        this.approvals = approvals;
    }

    record RequestApprovalRequest(@NotBlank(message = "is required") @Size(max = 32) String mediaUploadId,
                                  @NotBlank(message = "is required") @Size(max = 32) String bankAccountId,
                                  @NotBlank(message = "is required") String type) {
    }

    record ReviewRequest(@Size(max = 1000) String reason) {
    }

    /** A decline says why. */
    record DeclineRequest(@NotBlank(message = "is required") @Size(max = 1000) String reason) {
    }

    /** The approval is for the bank account's account: the owner's own, or any one the admin acts in. */
    @ErrorCodes(forbidden = ErrorCode.APPROVAL_ALREADY_IN_PROGRESS, notFound = {ErrorCode.BANK_ACCOUNT_NOT_FOUND,
            ErrorCode.MEDIA_UPLOAD_NOT_FOUND})
    @PostMapping("/api/bank-account-approvals")
    public ApprovalResponse request(Caller caller, @Valid @RequestBody RequestApprovalRequest request) {
        if (ApprovalType.fromValue(request.type()).filter(type -> type == ApprovalType.SETTLEMENT).isEmpty()) {
            throw ApiException.badRequest("type must be settlement: consent approvals come from connection intents");
        }
        String accountId = bankAccounts.ownerOf(request.bankAccountId())
                .filter(caller::canAccess)
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        String approvalId = commands.sendAndWait(new RequestApprovalCommand(Ids.newId(), accountId,
                request.bankAccountId(), request.mediaUploadId()));
        return queries.query(new FindApprovalQuery(approvalId), ResponseTypes.instanceOf(ApprovalResponse.class))
                .join();
    }

    @ErrorCodes(forbidden = {ErrorCode.ADMIN_KEY_REQUIRED, ErrorCode.APPROVAL_ALREADY_REVIEWED},
            notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @PostMapping("/api/bank-account-approvals/{approvalId}/accept")
    public Map<String, Object> accept(@PathVariable String approvalId,
                                      @Valid @RequestBody(required = false) ReviewRequest request) {
        requireKnown(approvalId);
        commands.sendAndWait(new AcceptApprovalCommand(approvalId, reason(request)));
        return Map.of();
    }

    @ErrorCodes(forbidden = {ErrorCode.ADMIN_KEY_REQUIRED, ErrorCode.APPROVAL_ALREADY_REVIEWED},
            notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @PostMapping("/api/bank-account-approvals/{approvalId}/decline")
    public Map<String, Object> decline(@PathVariable String approvalId,
                                       @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true)
                                       @Valid @RequestBody(required = false) DeclineRequest request) {
        // No body at all is a reason left out too, refused as {} is: before the approval is looked for.
        if (request == null) {
            throw ApiException.badRequest("reason is required");
        }
        requireKnown(approvalId);
        commands.sendAndWait(new DeclineApprovalCommand(approvalId, request.reason().strip()));
        return Map.of();
    }

    /** The approved approval has served its purpose (settlement released, consent ended). */
    @ErrorCodes(forbidden = {ErrorCode.ADMIN_KEY_REQUIRED, ErrorCode.APPROVAL_NOT_APPROVED},
            notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @PostMapping("/api/bank-account-approvals/{approvalId}/complete")
    public Map<String, Object> complete(@PathVariable String approvalId,
                                        @Valid @RequestBody(required = false) ReviewRequest request) {
        requireKnown(approvalId);
        commands.sendAndWait(new CompleteApprovalCommand(approvalId, reason(request)));
        return Map.of();
    }

    /**
     * The owner (or the admin) withdraws an approved consent: it becomes {@code revoked}, its refresh token is shredded
     * and, for a live consent, revoked at the provider after the commit. Answers the approval as it is now.
     */
    @ErrorCodes(forbidden = {ErrorCode.APPROVAL_NOT_REVOCABLE, ErrorCode.APPROVAL_NOT_APPROVED},
            notFound = ErrorCode.APPROVAL_NOT_FOUND)
    @PostMapping("/api/bank-account-approvals/{approvalId}/revoke")
    public ApprovalResponse revoke(Caller caller, @PathVariable String approvalId,
                                   @Valid @RequestBody(required = false) ReviewRequest request) {
        if (!Ids.isWellFormed(approvalId) || !caller.canAccessOwnedBy(approvals.ownerOf(approvalId))) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
        commands.sendAndWait(new RevokeApprovalCommand(approvalId, reason(request)));
        return queries.query(new FindApprovalQuery(approvalId), ResponseTypes.instanceOf(ApprovalResponse.class))
                .join();
    }

    /** Reviews are admin only (SecurityConfiguration), so existence is all that is left to check. */
    private void requireKnown(String approvalId) {
        if (!Ids.isWellFormed(approvalId) || approvals.ownerOf(approvalId).isEmpty()) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
    }

    private static String reason(ReviewRequest request) {
        return request == null || request.reason() == null || request.reason().isBlank() ? null : request.reason().strip();
    }
}
