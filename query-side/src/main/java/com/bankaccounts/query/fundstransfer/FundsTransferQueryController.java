package com.bankaccounts.query.fundstransfer;

import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.platform.account.AccountRepository;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.query.bankaccount.BankAccountReadModel;
import com.bankaccounts.query.fundstransfer.FundsTransferReadModel.StoredTransfer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class FundsTransferQueryController {

    static final int PAGE_SIZE = 25;
    private static final String STATEMENT_REFERENCE = "CENTRAPAY ";

    private final FundsTransferReadModel readModel;
    private final BankAccountReadModel bankAccounts;
    private final AccountRepository accounts;

    public FundsTransferQueryController(FundsTransferReadModel readModel, BankAccountReadModel bankAccounts,
                                        AccountRepository accounts) {
        this.readModel = readModel;
        this.bankAccounts = bankAccounts;
        this.accounts = accounts;
    }

    public record FundsTransferPage(List<FundsTransferResponse> items, String nextPageKey) {
    }

    public record StatementLine(String fundsTransferId, String type, String amount, String reference,
                                String postedAt) {
    }

    public record Statement(List<StatementLine> items) {
    }

    @ErrorCodes(notFound = ErrorCode.FUNDS_TRANSFER_NOT_FOUND)
    @GetMapping("/api/funds-transfers/{fundsTransferId}")
    public FundsTransferResponse get(Caller caller, @PathVariable String fundsTransferId) {
        return readModel.findById(fundsTransferId)
                .map(StoredTransfer::response)
                .filter(transfer -> caller.canAccess(transfer.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.FUNDS_TRANSFER_NOT_FOUND));
    }

    /** Newest first; {@code nextPageKey} is present while there is more, and goes back as {@code pageKey}. */
    @ErrorCodes(notFound = ErrorCode.ACCOUNT_NOT_FOUND)
    @GetMapping("/api/accounts/{accountId}/funds-transfers")
    public FundsTransferPage list(Caller caller, @PathVariable String accountId,
                                  @RequestParam(required = false) String pageKey) {
        if (!caller.canAccess(accountId) || accounts.findById(accountId).isEmpty()) {
            throw new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND);
        }
        PageKey after = pageKey == null ? null : PageKey.decode(pageKey, accountId);
        List<StoredTransfer> rows = readModel.findByAccount(accountId, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), PAGE_SIZE + 1);
        String next = null;
        if (rows.size() > PAGE_SIZE) {
            rows = rows.subList(0, PAGE_SIZE);
            StoredTransfer last = rows.get(PAGE_SIZE - 1);
            next = new PageKey(last.createdAt(), last.response().id()).encode(accountId);
        }
        return new FundsTransferPage(rows.stream().map(StoredTransfer::response).toList(), next);
    }

    /** The sandbox bank's statement of a test bank account: each posted transfer with its code in the reference. */
    @ErrorCodes(forbidden = ErrorCode.TEST_STATEMENT_NOT_AVAILABLE, notFound = ErrorCode.BANK_ACCOUNT_NOT_FOUND)
    @GetMapping("/api/bank-accounts/{bankAccountId}/test-statement")
    public Statement testStatement(Caller caller, @PathVariable String bankAccountId) {
        BankAccountResponse bankAccount = bankAccounts.findById(bankAccountId)
                .filter(found -> caller.canAccess(found.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        if (!Boolean.TRUE.equals(bankAccount.test())) {
            throw new BusinessRuleException(ErrorCode.TEST_STATEMENT_NOT_AVAILABLE);
        }
        return new Statement(readModel.findPostedByBankAccount(bankAccountId).stream()
                .map(row -> new StatementLine(row.response().id(), row.response().type(), row.response().amount(),
                        STATEMENT_REFERENCE + row.verificationCode(), Timestamps.format(row.postedAt())))
                .toList());
    }

    /**
     * Position after which the next page starts: the last item's creation time (microseconds) and id, and the account
     * whose list it is, so that a key used on another account's list is refused as the message says. A key without
     * the account (made before it was added) is still taken.
     */
    record PageKey(Instant createdAt, String id) {

        String encode(String accountId) {
            long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
            String raw = micros + ":" + id + ":" + accountId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static PageKey decode(String key, String accountId) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(key), StandardCharsets.UTF_8)
                        .split(":", -1);
                long micros = Long.parseLong(parts[0]);
                String id = parts[1];
                if (parts.length > 3 || !Ids.isWellFormed(id) || parts.length == 3 && !parts[2].equals(accountId)) {
                    throw new IllegalArgumentException("not this list's key");
                }
                return new PageKey(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L), id);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("pageKey is not a page key from this list");
            }
        }
    }
}
