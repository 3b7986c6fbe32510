-- An authorized intent shows the bank accounts it linked and their consent approvals. Intents authorized before this
-- migration show them once the connection-intents projection is rebuilt (POST /api/admin/projections/connection-intents/replay).
ALTER TABLE connection_intent_view ADD COLUMN bank_account_ids TEXT[];
ALTER TABLE connection_intent_view ADD COLUMN approval_ids TEXT[];
