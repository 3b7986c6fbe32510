package com.bankaccounts.query.projection;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.openapi.ErrorCodes;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The read-model projections, their positions, and rebuilding one from the event store. Admin only
 * ({@code /api/admin/**} in SecurityConfiguration).
 */
@RestController
public class ProjectionAdminController {

    private final ProjectionRebuilds rebuilds;

    public ProjectionAdminController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    public record ProjectionList(List<ProjectionStatus> items) {
    }

    @ErrorCodes(forbidden = ErrorCode.ADMIN_KEY_REQUIRED)
    @GetMapping("/api/admin/projections")
    public ProjectionList list() {
        return new ProjectionList(rebuilds.statuses());
    }

    @ErrorCodes(forbidden = ErrorCode.ADMIN_KEY_REQUIRED, notFound = ErrorCode.PROJECTION_NOT_FOUND)
    @GetMapping("/api/admin/projections/{name}")
    public ProjectionStatus get(@PathVariable String name) {
        return rebuilds.status(name);
    }

    @ErrorCodes(forbidden = {ErrorCode.ADMIN_KEY_REQUIRED, ErrorCode.REPLAY_IN_PROGRESS},
            notFound = ErrorCode.PROJECTION_NOT_FOUND)
    @PostMapping("/api/admin/projections/{name}/replay")
    public ProjectionStatus replay(@PathVariable String name) {
        return rebuilds.replay(name);
    }
}
