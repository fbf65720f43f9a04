-- Delivery leases: which node delivers a webhook now (lease_owner), until when (lease_until, microseconds of the
-- database's clock; 0 when nobody does), and a counter that grows with every claim (lease_fence), so that the
-- result of an older claim is refused. Several nodes share the work through them (see PostgresDeliveryStore).
ALTER TABLE webhooks ADD COLUMN lease_owner TEXT;
ALTER TABLE webhooks ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN lease_fence BIGINT NOT NULL DEFAULT 0;
-- The claim looks for active webhooks by due time.
CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE state = 'active';
