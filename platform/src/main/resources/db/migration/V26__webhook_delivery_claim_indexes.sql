-- What a claim reads: the endpoints with pending deliveries (skipped through one by one) and each one's oldest due
-- deliveries; and the deliveries in flight (claimed, lease not yet over or not yet cleared), which it checks per
-- endpoint and counts per account. Without them a claim read whole backlogs and delivery histories.
CREATE INDEX webhook_delivery_pending ON webhook_delivery (endpoint_id, next_attempt_at, seq)
    WHERE status = 'pending';
CREATE INDEX webhook_delivery_in_flight ON webhook_delivery (endpoint_id)
    WHERE status = 'pending' AND locked_until IS NOT NULL;
