package com.bankaccounts.api.approval;

/**
 * The approval state machine (enforced by the Approval aggregate):
 * <pre>
 * request (settlement)         -> created
 * request (account-/payment-consent) -> pending
 * accept   created | pending   -> approved
 * decline  created | pending   -> declined
 * complete approved            -> done
 * revoke   approved (account-/payment-consent) -> revoked
 * expire   approved (account-/payment-consent) -> expired
 * </pre>
 * {@code created} and {@code pending} await review; {@code approved}, {@code declined} and {@code done} have been
 * reviewed.
 */
public enum ApprovalStatus {
    CREATED("created"),
    PENDING("pending"),
    APPROVED("approved"),
    DECLINED("declined"),
    DONE("done"),
    REVOKED("revoked"),
    EXPIRED("expired");

    private final String value;

    ApprovalStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean awaitsReview() {
        return this == CREATED || this == PENDING;
    }
}
