package com.bankaccounts.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/** The assembly: both sides in one server. The sides' own application classes are left out of the scan. */
@SpringBootApplication
@ComponentScan(basePackages = {"com.bankaccounts.platform", "com.bankaccounts.command", "com.bankaccounts.query",
        "com.bankaccounts.app.admin"},
        excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class BankAccountsApplication {

    public static void main(String[] args) {
        SpringApplication.run(BankAccountsApplication.class, args);
    }
}
