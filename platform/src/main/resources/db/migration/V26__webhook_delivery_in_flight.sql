-- The deliveries in flight (claimed, lease not yet over or not yet cleared): what every claim checks per endpoint and
-- counts per account. Without it those checks read each endpoint's whole delivery history.
CREATE INDEX webhook_delivery_in_flight ON webhook_delivery (endpoint_id)
    WHERE status = 'pending' AND locked_until IS NOT NULL;
