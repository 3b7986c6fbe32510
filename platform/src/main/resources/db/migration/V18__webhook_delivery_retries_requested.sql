-- A retry asked for while the delivery is being sent must not be lost when that send records its outcome: each
-- request counts here, and an outcome recorded after one leaves the delivery due again.
ALTER TABLE webhook_delivery ADD COLUMN retries_requested INTEGER NOT NULL DEFAULT 0;
