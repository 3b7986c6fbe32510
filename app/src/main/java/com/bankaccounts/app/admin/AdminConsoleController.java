package com.bankaccounts.app.admin;

import com.bankaccounts.api.approval.AcceptApprovalCommand;
import com.bankaccounts.api.approval.ApprovalResponse;
import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.CompleteApprovalCommand;
import com.bankaccounts.api.approval.DeclineApprovalCommand;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.CodePoints;
import com.bankaccounts.api.common.ErrorCode;
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
import java.util.function.Consumer;
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
    /** As the API's review requests allow, and the decline form's text area. */
    static final int MAX_REASON = 1000;
    private static final String TOO_LONG = "A reason is at most " + MAX_REASON + " characters.";
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

    /** {@code error}: the key was refused (its field is marked so; a template may not read parameters there). */
    @GetMapping("/admin/login")
    String login(@RequestParam(required = false) String error, Model model) {
        model.addAttribute("refused", error != null);
        return "admin/login";
    }

    /**
     * {@code status}: {@code awaiting} (created or pending, the default), one status, or {@code all}; anything else is
     * the default, shown as such (an empty list would read as "nothing awaits review").
     */
    @GetMapping("/admin")
    String approvals(@RequestParam(defaultValue = "awaiting") String status, Model model) {
        List<String> known = Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::value).toList();
        if (!status.equals("all") && !known.contains(status)) {
            status = "awaiting";
        }
        List<String> statuses = switch (status) {
            case "awaiting" -> List.of(ApprovalStatus.CREATED.value(), ApprovalStatus.PENDING.value());
            case "all" -> known;
            default -> List.of(status);
        };
        model.addAttribute("status", status);
        model.addAttribute("statuses", known);
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
        model.addAttribute("maxReason", MAX_REASON);
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
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        upload.contentDisposition(inline ? ContentDisposition.inline() : ContentDisposition.attachment()))
                // Shown inside the console's own page only.
                .header("Content-Security-Policy", "default-src 'none'; object-src 'self'; frame-ancestors 'self'")
                .header("X-Frame-Options", "SAMEORIGIN")
                .body(content);
    }

    @PostMapping("/admin/approvals/{approvalId}/accept")
    String accept(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                  RedirectAttributes redirect) {
        find(approvalId);
        return review(approvalId, "accepted", reason, given -> commands.sendAndWait(
                new AcceptApprovalCommand(approvalId, given)), redirect);
    }

    @PostMapping("/admin/approvals/{approvalId}/decline")
    String decline(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                   RedirectAttributes redirect) {
        find(approvalId);
        String given = reasonOf(reason);
        // Shown at the reason's field, which they describe; the field has no maxlength (browsers count it in UTF-16
        // units), so an overlong reason is given back to it to be shortened.
        if (given == null) {
            redirect.addFlashAttribute("reasonError", "A reason is required to decline.");
            return "redirect:/admin/approvals/" + approvalId;
        }
        if (tooLong(given)) {
            redirect.addFlashAttribute("reasonError", TOO_LONG);
            redirect.addFlashAttribute("reasonText", given);
            return "redirect:/admin/approvals/" + approvalId;
        }
        return review(approvalId, "declined", reason, reviewed -> commands.sendAndWait(
                new DeclineApprovalCommand(approvalId, reviewed)), redirect);
    }

    @PostMapping("/admin/approvals/{approvalId}/complete")
    String complete(@PathVariable String approvalId, @RequestParam(required = false) String reason,
                    RedirectAttributes redirect) {
        find(approvalId);
        return review(approvalId, "completed", reason, given -> commands.sendAndWait(
                new CompleteApprovalCommand(approvalId, given)), redirect);
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
            redirect.addFlashAttribute("error", ErrorCode.REPLAY_IN_PROGRESS.name().equals(e.getMessage())
                    ? "A rebuild is running already: wait for it to finish, then start another. (" + e.getMessage()
                    + ")" : "The rebuild did not start. (" + e.getMessage() + ")");
        }
        return "redirect:/admin/projections";
    }

    /**
     * Runs a review with the reason as the API would take it (at most {@value #MAX_REASON} characters); a refusal by
     * the aggregate is shown in words, with the API's code (e.g. APPROVAL_ALREADY_REVIEWED).
     */
    private String review(String approvalId, String done, String reason, Consumer<String> command,
                          RedirectAttributes redirect) {
        String given = reasonOf(reason);
        if (given != null && tooLong(given)) {
            redirect.addFlashAttribute("error", TOO_LONG); // no field of the page took it
            return "redirect:/admin/approvals/" + approvalId;
        }
        try {
            command.accept(given);
            redirect.addFlashAttribute("notice", "Approval " + done + ".");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", refusal(e.getMessage()));
        } catch (CommandExecutionException e) {
            redirect.addFlashAttribute("error",
                    refusal(e.getDetails().map(Object::toString).orElse(e.getMessage())));
        }
        return "redirect:/admin/approvals/" + approvalId;
    }

    private static String refusal(String code) {
        String words = switch (code) {
            case "APPROVAL_ALREADY_REVIEWED" -> "This approval has been reviewed already.";
            case "APPROVAL_NOT_APPROVED" -> "Only an approved approval can be completed.";
            default -> "The approval was not changed.";
        };
        return words + " (" + code + ")";
    }

    private ApprovalResponse find(String approvalId) {
        if (!Ids.isWellFormed(approvalId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return approvals.find(approvalId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private static boolean tooLong(String reason) {
        return CodePoints.count(reason) > MAX_REASON;
    }

    /** A text area sends a line break as CR LF; the API counts one as one character. */
    private static String reasonOf(String reason) {
        return reason == null || reason.isBlank() ? null : reason.strip().replace("\r\n", "\n");
    }
}
