package com.bankaccounts.query.projection;

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

    @GetMapping("/api/admin/projections")
    public ProjectionList list() {
        return new ProjectionList(rebuilds.statuses());
    }

    @GetMapping("/api/admin/projections/{name}")
    public ProjectionStatus get(@PathVariable String name) {
        return rebuilds.status(name);
    }

    @PostMapping("/api/admin/projections/{name}/replay")
    public ProjectionStatus replay(@PathVariable String name) {
        return rebuilds.replay(name);
    }
}
