package com.bankaccounts.command.bankaccount;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BankAccountLimits.class)
public class BankAccountConfiguration {
}
