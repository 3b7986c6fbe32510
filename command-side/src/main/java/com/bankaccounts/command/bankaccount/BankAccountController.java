package com.bankaccounts.command.bankaccount;

import com.bankaccounts.api.bankaccount.AuthorizeDirectDebitCommand;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.bankaccount.FindBankAccountQuery;
import com.bankaccounts.api.bankaccount.VerifyBankAccountCommand;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.command.bankaccount.BankAccountRequests.CreateBankAccountRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.CreateBankAuthorityRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.DirectDebitAuthorityRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyRequest;
import com.bankaccounts.command.bankaccount.BankAccountRequests.VerifyResponse;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bank accounts, and the deprecated bank authorities: the same resources, created together with their direct debit
 * authority, whose unknown ids answer BANK_AUTHORITY_NOT_FOUND.
 */
@RestController
public class BankAccountController {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final BankAccountRegistry registry;

    public BankAccountController(CommandGateway commands, QueryGateway queries, BankAccountRegistry registry) {
        this.commands = commands;
        this.queries = queries;
        this.registry = registry;
    }

    @ErrorCodes(forbidden = {ErrorCode.DUPLICATE_BANK_ACCOUNT, ErrorCode.BANK_ACCOUNT_LIMIT_EXCEEDED,
            ErrorCode.BANK_ACCOUNT_HOLDER_LIMIT_EXCEEDED}, notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @PostMapping("/api/bank-accounts")
    public BankAccountResponse create(Caller caller, @Valid @RequestBody CreateBankAccountRequest request) {
        String accountId = request.accountId() != null ? request.accountId() : caller.accountId();
        if (accountId == null) {
            throw ApiException.badRequest("accountId is required");
        }
        requireAccess(caller, accountId);
        String bankAccountId = Ids.newId();
        commands.sendAndWait(request.toCommand(bankAccountId, accountId));
        return find(bankAccountId);
    }

    @ErrorCodes(forbidden = ErrorCode.DIRECT_DEBIT_ALREADY_AUTHORIZED, notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @PostMapping("/api/bank-accounts/{bankAccountId}/direct-debit-authorities")
    public BankAccountResponse authorizeDirectDebit(Caller caller, @PathVariable String bankAccountId,
                                                    @Valid @RequestBody DirectDebitAuthorityRequest request) {
        requireVisible(caller, bankAccountId, ErrorCode.BANK_ACCOUNT_NOT_FOUND);
        commands.sendAndWait(new AuthorizeDirectDebitCommand(bankAccountId, request.toAuthority()));
        return find(bankAccountId);
    }

    @ErrorCodes(forbidden = {ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED, ErrorCode.VERIFICATION_CODE_INVALID,
            ErrorCode.ACCOUNT_MISMATCH, ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED},
            notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @PostMapping("/api/bank-accounts/{bankAccountId}/verify")
    public VerifyResponse verify(Caller caller, @PathVariable String bankAccountId,
                                 @Valid @RequestBody VerifyRequest request) {
        return verify(caller, bankAccountId, request, ErrorCode.BANK_ACCOUNT_NOT_FOUND);
    }

    @ErrorCodes(forbidden = {ErrorCode.DUPLICATE_BANK_ACCOUNT, ErrorCode.BANK_AUTHORITY_LIMIT_EXCEEDED,
            ErrorCode.BANK_AUTHORITIES_FOR_BANK_ACCOUNT_EXCEEDED}, notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @PostMapping("/api/bank-authorities")
    public BankAccountResponse createAuthority(Caller caller, @Valid @RequestBody CreateBankAuthorityRequest request) {
        if (Boolean.FALSE.equals(request.directDebitAuthorized())) {
            throw ApiException.badRequest("directDebitAuthorized must be true: a bank authority is a direct debit authority");
        }
        requireAccess(caller, request.accountId());
        String bankAccountId = Ids.newId();
        commands.sendAndWait(request.toCommand(bankAccountId));
        return find(bankAccountId);
    }

    @ErrorCodes(forbidden = {ErrorCode.BANK_ACCOUNT_ALREADY_VERIFIED, ErrorCode.VERIFICATION_CODE_INVALID,
            ErrorCode.ACCOUNT_MISMATCH, ErrorCode.BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED},
            notFound = ErrorCode.BANK_AUTHORITY_NOT_FOUND)
    @PostMapping("/api/bank-authorities/{bankAccountId}/verify")
    public VerifyResponse verifyAuthority(Caller caller, @PathVariable String bankAccountId,
                                          @Valid @RequestBody VerifyRequest request) {
        return verify(caller, bankAccountId, request, ErrorCode.BANK_AUTHORITY_NOT_FOUND);
    }

    /** Answers normally only for the right code; a wrong one is recorded, then refused. */
    private VerifyResponse verify(Caller caller, String bankAccountId, VerifyRequest request, ErrorCode notFound) {
        requireVisible(caller, bankAccountId, notFound);
        commands.sendAndWait(new VerifyBankAccountCommand(bankAccountId, request.verificationCode()));
        return new VerifyResponse(request.verificationCode());
    }

    private static void requireAccess(Caller caller, String accountId) {
        if (!caller.canAccess(accountId)) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
    }

    private void requireVisible(Caller caller, String bankAccountId, ErrorCode notFound) {
        if (!Ids.isWellFormed(bankAccountId) || !caller.canAccessOwnedBy(registry.ownerOf(bankAccountId))) {
            throw new NotFoundException(notFound);
        }
    }

    private BankAccountResponse find(String bankAccountId) {
        return queries.query(new FindBankAccountQuery(bankAccountId),
                ResponseTypes.instanceOf(BankAccountResponse.class)).join();
    }
}
