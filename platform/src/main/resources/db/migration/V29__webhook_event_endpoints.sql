-- The enabled endpoints of the event's account when its body was recorded: the fan-out sends the event to those (if
-- still enabled and taking its type), not to endpoints created later however late it takes the event. NULL on rows
-- recorded before this column, or by a node still on the release before it: every enabled endpoint, as then.
ALTER TABLE webhook_event ADD COLUMN endpoint_ids TEXT[];
