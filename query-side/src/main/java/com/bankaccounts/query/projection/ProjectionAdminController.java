package com.bankaccounts.query.projection;

import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin only: the read-model projections, their positions, and rebuilding one from the event store. */
@RestController
public class ProjectionAdminController {

    private final ProjectionRebuilds rebuilds;

    public ProjectionAdminController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    public record ProjectionList(List<ProjectionStatus> items) {
    }

    @GetMapping("/api/admin/projections")
    public ProjectionList list(Caller caller) {
        requireAdmin(caller);
        return new ProjectionList(rebuilds.statuses());
    }

    @GetMapping("/api/admin/projections/{name}")
    public ProjectionStatus get(Caller caller, @PathVariable String name) {
        requireAdmin(caller);
        return rebuilds.status(name);
    }

    @PostMapping("/api/admin/projections/{name}/replay")
    public ProjectionStatus replay(Caller caller, @PathVariable String name) {
        requireAdmin(caller);
        return rebuilds.replay(name);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw ApiException.adminOnly();
        }
    }
}
