package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FindFundsTransferQuery;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.fundstransfer.SettleFundsTransferCommand;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.web.RequestBodyRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class FundsTransferController {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final BankAccountRegistry registry;
    private final FundsTransferCodes codes;

    public FundsTransferController(CommandGateway commands, QueryGateway queries, BankAccountRegistry registry,
                                   FundsTransferCodes codes) {
        this.commands = commands;
        this.queries = queries;
        this.registry = registry;
        this.codes = codes;
    }

    record CreateFundsTransferRequest(
            @NotBlank(message = "is required") @Size(max = 32) String bankAccountId,
            @NotBlank(message = "is required") String type,
            @NotBlank(message = "is required")
            @Pattern(regexp = "[1-9][0-9]{0,11}", message = "must be a positive number of cents, at most 12 digits")
            String amount,
            @Size(max = 32)
            @Pattern(regexp = RequestBodyRules.NOT_BLANK, message = RequestBodyRules.NOT_BLANK_MESSAGE)
            String paymentConsentId) {
    }

    @ErrorCodes(forbidden = {ErrorCode.DIRECT_DEBIT_NOT_AUTHORIZED, ErrorCode.PAYMENT_CONSENT_LIMIT_EXCEEDED,
            ErrorCode.PAYMENT_CONSENT_NOT_ACTIVE, ErrorCode.ACCOUNT_MISMATCH},
            notFound = {ErrorCode.BANK_ACCOUNT_NOT_FOUND, ErrorCode.APPROVAL_NOT_FOUND})
    @PostMapping("/api/funds-transfers")
    public FundsTransferResponse create(Caller caller, @Valid @RequestBody CreateFundsTransferRequest request) {
        FundsTransferType type = FundsTransferType.fromValue(request.type())
                .orElseThrow(() -> ApiException.badRequest("type must be topup or withdrawal"));
        if (request.paymentConsentId() != null && type != FundsTransferType.TOPUP) {
            throw ApiException.badRequest("paymentConsentId is only for a topup");
        }
        if (!Ids.isWellFormed(request.bankAccountId())
                || !caller.canAccessOwnedBy(registry.ownerOf(request.bankAccountId()))) {
            throw new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND);
        }
        String fundsTransferId = Ids.newId();
        commands.sendAndWait(new CreateFundsTransferCommand(fundsTransferId, request.bankAccountId(), type,
                Long.parseLong(request.amount()), caller.accountId(), request.paymentConsentId()));
        return find(fundsTransferId);
    }

    /**
     * The bank has posted a live transfer; test transfers are posted by the sandbox bank as they are made. Admin only
     * (SecurityConfiguration).
     */
    @ErrorCodes(forbidden = {ErrorCode.ADMIN_KEY_REQUIRED, ErrorCode.FUNDS_TRANSFER_ALREADY_SETTLED},
            notFound = ErrorCode.FUNDS_TRANSFER_NOT_FOUND)
    @PostMapping("/api/funds-transfers/{fundsTransferId}/settle")
    public FundsTransferResponse settle(Caller caller, @PathVariable String fundsTransferId) {
        if (!Ids.isWellFormed(fundsTransferId) || !caller.canAccessOwnedBy(codes.ownerOf(fundsTransferId))) {
            throw new NotFoundException(ErrorCode.FUNDS_TRANSFER_NOT_FOUND);
        }
        commands.sendAndWait(new SettleFundsTransferCommand(fundsTransferId));
        return find(fundsTransferId);
    }

    private FundsTransferResponse find(String fundsTransferId) {
        return queries.query(new FindFundsTransferQuery(fundsTransferId),
                ResponseTypes.instanceOf(FundsTransferResponse.class)).join();
    }
}
