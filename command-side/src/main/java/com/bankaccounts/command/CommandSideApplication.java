package com.bankaccounts.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The command side on its own: takes writes; read models are kept by query-side processes. */
@SpringBootApplication(scanBasePackages = {"com.bankaccounts.platform", "com.bankaccounts.command"})
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
