-- Who disabled a key and when (POST /api/accounts/{accountId}/api-keys/{name}/disable). A key is never enabled again.
ALTER TABLE api_keys ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_keys ADD COLUMN disabled_by VARCHAR(300);
