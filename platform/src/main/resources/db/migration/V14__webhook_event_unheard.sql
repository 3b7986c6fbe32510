-- A read model that tracks the event store on its own (a query-side process) records every event a webhook can carry,
-- so that the fan-out can tell "not recorded yet" (wait) from "nobody to deliver it to" (pass over). An event of an
-- account without an enabled endpoint when it is recorded is now a row without a body: no query for the resource, no
-- body built, encrypted and stored for it.
ALTER TABLE webhook_event ALTER COLUMN body DROP NOT NULL;
