package com.bankaccounts.app.admin;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.command.mediaupload.MediaUpload;
import com.bankaccounts.command.mediaupload.MediaUploadRepository;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.query.approval.ApprovalQueries;
import com.bankaccounts.query.approval.ApprovalQueryController;
import com.bankaccounts.query.bankaccount.BankAccountReadModel;
import com.bankaccounts.query.projection.ProjectionRebuilds;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin console: the approvals awaiting review, one approval with its evidence, activities and history, and the
 * projections with a rebuild button. It decides nothing itself: reviews are the API's commands through the command
 * gateway (so the Approval aggregate's rules and codes apply), reads are the query side's, history is the API's
 * replay of the event store, and rebuilds are {@link ProjectionRebuilds}'.
 */
@Controller
class AdminConsoleController {

    static final int PAGE_SIZE = 200;
    private static final Set<String> INLINE_TYPES = Set.of("application/pdf", "image/png", "image/jpeg");

    private final CommandGateway commands;
    private final ApprovalQueries approvals;
    private final ApprovalQueryController approvalReads;
    private final BankAccountReadModel bankAccounts;
    private final MediaUploadRepository uploads;
    private final ProjectionRebuilds rebuilds;

    AdminConsoleController(CommandGateway commands, ApprovalQueries approvals, ApprovalQueryController approvalReads,
                           BankAccountReadModel bankAccounts, MediaUploadRepository uploads,
                           ProjectionRebuilds rebuilds) {
        this.commands = commands;
        this.approvals = approvals;
        this.approvalReads = approvalReads;
        this.bankAccounts = bankAccounts;
        this.uploads = uploads;
        this.rebuilds = rebuilds;
    }

    @GetMapping("/admin/login")
    String login() {
        return "admin/login";
    }

    /** {@code status}: {@code awaiting} (created or pending, the default), one status, or {@code all}. */
    @GetMapping("/admin")
    String approvals(@RequestParam(defaultValue = "awaiting") String status, Model model) {
        List<String> statuses = switch (status) {
            case "awaiting" -> List.of(ApprovalStatus.CREATED.value(), ApprovalStatus.PENDING.value());
            case "all" -> Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::value).toList();
            default -> Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::value)
                    .filter(status::equals).toList();
        };
        model.addAttribute("status", status);
        model.addAttribute("statuses", Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::value).toList());
        model.addAttribute("approvals", approvals.withStatus(statuses, PAGE_SIZE));
        return "admin/approvals";
    }

    @GetMapping("/admin/approvals/{approvalId}")
    String approval(@PathVariable String approvalId, Model model) {
        ApprovalResponse approval = find(approvalId);
        model.addAttribute("approval", approval);
        model.addAttribute("bankAccount", bankAccounts.findById(approval.bankAccountId()).orElse(null));
        Optional<MediaUpload> evidence = Optional.ofNullable(approval.mediaUploadId()).flatMap(uploads::findById);
        model.addAttribute("evidence", evidence.orElse(null));
        model.addAttribute("evidenceInline", evidence.map(upload -> INLINE_TYPES.contains(upload.mimeType()))
                .orElse(false));
        model.addAttribute("history", approvalReads.history(Caller.platformAdmin(), approvalId).items());
        return "admin/approval";
    }

    /** The evidence file, shown inside the approval's page (only PDF, PNG and JPEG; anything else downloads). */
    @GetMapping("/admin/approvals/{approvalId}/evidence")
    ResponseEntity<byte[]> evidence(@PathVariable String approvalId) {
        ApprovalResponse approval = find(approvalId);
        MediaUpload upload = Optional.ofNullable(approval.mediaUploadId()).flatMap(uploads::findById)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        byte[] content = uploads.contentOf(upload.id())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        boolean inline = INLINE_TYPES.contains(upload.mimeType());
        return ResponseEntity.ok()
                .contentType(inline ? MediaType.parseMediaType(upload.mimeType()) : MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, (inline ? ContentDisposition.inline()
                        : ContentDisposition.attachment()).filename(upload.fileName()).build().toString())
                // Shown inside the console's own page only.
                .header("Content-Security-Policy", "default-src 'none'; object-src 'self'; frame-ancestors 'self'")
                .header("X-Frame-Options", "SAMEORIGIN")
                .body(content);
    }

    @PostMapping("/admin/approvals/{approvalId}/accept")
    String accept(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                  RedirectAttributes redirect) {
        find(approvalId);
        return review(approvalId, "accepted", () -> commands.sendAndWait(
                new AcceptApprovalCommand(approvalId, blankToNull(reason))), redirect);
    }

    @PostMapping("/admin/approvals/{approvalId}/decline")
    String decline(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                   RedirectAttributes redirect) {
        find(approvalId);
        if (blankToNull(reason) == null) {
            redirect.addFlashAttribute("error", "A reason is required to decline.");
            return "redirect:/admin/approvals/" + approvalId;
        }
        return review(approvalId, "declined", () -> commands.sendAndWait(
                new DeclineApprovalCommand(approvalId, blankToNull(reason))), redirect);
    }

    @PostMapping("/admin/approvals/{approvalId}/complete")
    String complete(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                    RedirectAttributes redirect) {
        find(approvalId);
        return review(approvalId, "completed", () -> commands.sendAndWait(
                new CompleteApprovalCommand(approvalId, blankToNull(reason))), redirect);
    }

    @GetMapping("/admin/projections")
    String projections(Model model) {
        model.addAttribute("projections", rebuilds.statuses());
        return "admin/projections";
    }

    @PostMapping("/admin/projections/{name}/rebuild")
    String rebuild(@PathVariable String name, RedirectAttributes redirect) {
        if (rebuilds.statuses().stream().noneMatch(projection -> projection.name().equals(name))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        try {
            rebuilds.replay(name);
            redirect.addFlashAttribute("notice", "Rebuild of " + name + " started.");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/projections";
    }

    /** Runs a review; a refusal by the aggregate is shown with the API's code (e.g. APPROVAL_ALREADY_REVIEWED). */
    private String review(String approvalId, String done, Runnable command, RedirectAttributes redirect) {
        try {
            command.run();
            redirect.addFlashAttribute("notice", "Approval " + done + ".");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        } catch (CommandExecutionException e) {
            redirect.addFlashAttribute("error", e.getDetails().map(Object::toString).orElse(e.getMessage()));
        }
        return "redirect:/admin/approvals/" + approvalId;
    }

    private ApprovalResponse find(String approvalId) {
        if (!Ids.isWellFormed(approvalId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return approvals.find(approvalId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private static String blankToNull(String reason) {
        return reason == null || reason.isBlank() ? null : reason.trim();
    }
}
