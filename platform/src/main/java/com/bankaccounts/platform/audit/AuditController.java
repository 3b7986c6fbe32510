package com.bankaccounts.platform.audit;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.openapi.ErrorCodes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The event store's tamper check. Admin only ({@code /api/admin/**} in SecurityConfiguration). */
@RestController
public class AuditController {

    private final EventSeals seals;

    public AuditController(EventSeals seals) {
        this.seals = seals;
    }

    @ErrorCodes(forbidden = ErrorCode.ADMIN_KEY_REQUIRED)
    @GetMapping("/api/admin/audit/verify")
    public EventSeals.Verification verify() {
        return seals.verify();
    }
}
