package com.bankaccounts.command.fundstransfer;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.fundstransfer.CreateFundsTransferCommand;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.command.bankaccount.BankAccountRegistry;
import com.bankaccounts.command.bankaccount.BankAccountRegistry.RegisteredBankAccount;
import java.security.SecureRandom;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Creates transfers under the lock of their bank account's registry row, so a top up created while the bank account
 * is being verified is either released at creation or found by the verification, never missed.
 */
@Component
public class FundsTransferCreationHandler {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Repository<FundsTransfer> repository;
    private final BankAccountRegistry registry;
    private final FundsTransferCodes codes;

    public FundsTransferCreationHandler(Repository<FundsTransfer> repository, BankAccountRegistry registry,
                                        FundsTransferCodes codes) {
        this.repository = repository;
        this.registry = registry;
        this.codes = codes;
    }

    @CommandHandler
    public FundsTransferResponse handle(CreateFundsTransferCommand command) throws Exception {
        RegisteredBankAccount bankAccount = registry.lock(command.bankAccountId())
                .orElseThrow(() -> new NotFoundException(ErrorCode.BANK_ACCOUNT_NOT_FOUND));
        String verificationCode = String.format("%04d", RANDOM.nextInt(10_000));
        Aggregate<FundsTransfer> transfer =
                repository.newInstance(() -> new FundsTransfer(command, bankAccount, verificationCode));
        codes.record(command.fundsTransferId(), bankAccount, command.type(), verificationCode);
        return transfer.invoke(FundsTransfer::toResponse);
    }
}
