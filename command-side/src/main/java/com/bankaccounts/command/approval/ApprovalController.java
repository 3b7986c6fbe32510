package com.bankaccounts.command.approval;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.approval.RequestApprovalCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.common.CallerCommands;
import com.bankaccounts.command.mediaupload.MediaUpload;
import com.bankaccounts.command.mediaupload.MediaUploadRepository;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ApprovalController {

    private final CallerCommands commands;
    private final BankAccountRegistry bankAccounts;
    private final MediaUploadRepository mediaUploads;
    private final ApprovalRegistry approvals;

    public ApprovalController(CallerCommands commands, BankAccountRegistry bankAccounts,
                              MediaUploadRepository mediaUploads, ApprovalRegistry approvals) {
        this.commands = commands;
        this.bankAccounts = bankAccounts;
        this.mediaUploads = mediaUploads;
        this.approvals = approvals;
    }

    record RequestApprovalRequest(@NotBlank(message = "is required") @Size(max = 32) String mediaUploadId,
                                  @NotBlank(message = "is required") @Size(max = 32) String bankAccountId,
                                  @NotBlank(message = "is required") String type) {
    }

    record ReviewRequest(@Size(max = 1000) String reason) {
    }

    @PostMapping("/api/bank-account-approvals")
    public ApprovalResponse request(Caller caller, @Valid @RequestBody RequestApprovalRequest request) {
        ApprovalType type = ApprovalType.fromValue(request.type())
                .filter(requested -> requested == ApprovalType.SETTLEMENT)
                .orElseThrow(() -> ApiException.badRequest(
                        "type must be settlement: consent approvals come from connection intents"));
        String accountId = bankAccounts.ownerOf(request.bankAccountId())
                .filter(caller::canAccess)
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        MediaUpload evidence = mediaUploads.findById(request.mediaUploadId())
                .filter(upload -> upload.accountId().equals(accountId))
                .orElseThrow(() -> new NotFoundException(ErrorCode.MEDIA_UPLOAD_NOT_FOUND));
        return commands.send(caller, new RequestApprovalCommand(Ids.newId(), accountId, request.bankAccountId(), type,
                evidence.id(), null, null, null));
    }

    @PostMapping("/api/bank-account-approvals/{approvalId}/accept")
    public Map<String, Object> accept(Caller caller, @PathVariable String approvalId,
                                      @Valid @RequestBody(required = false) ReviewRequest request) {
        requireAdminAndKnown(caller, approvalId);
        commands.send(caller, new AcceptApprovalCommand(approvalId, reason(request)));
        return Map.of();
    }

    @PostMapping("/api/bank-account-approvals/{approvalId}/decline")
    public Map<String, Object> decline(Caller caller, @PathVariable String approvalId,
                                       @Valid @RequestBody(required = false) ReviewRequest request) {
        requireAdminAndKnown(caller, approvalId);
        String reason = reason(request);
        if (reason == null) {
            throw ApiException.badRequest("reason is required");
        }
        commands.send(caller, new DeclineApprovalCommand(approvalId, reason));
        return Map.of();
    }

    /** The approved approval has served its purpose (settlement released, consent ended). */
    @PostMapping("/api/bank-account-approvals/{approvalId}/complete")
    public Map<String, Object> complete(Caller caller, @PathVariable String approvalId,
                                        @Valid @RequestBody(required = false) ReviewRequest request) {
        requireAdminAndKnown(caller, approvalId);
        commands.send(caller, new CompleteApprovalCommand(approvalId, reason(request)));
        return Map.of();
    }

    private void requireAdminAndKnown(Caller caller, String approvalId) {
        if (!caller.admin()) {
            throw ApiException.adminOnly();
        }
        if (!Ids.isWellFormed(approvalId) || approvals.ownerOf(approvalId).isEmpty()) {
            throw new NotFoundException(ErrorCode.APPROVAL_NOT_FOUND);
        }
    }

    private static String reason(ReviewRequest request) {
        return request == null || request.reason() == null || request.reason().isBlank() ? null : request.reason().trim();
    }
}
