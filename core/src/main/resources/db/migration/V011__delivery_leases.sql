-- The delivery leases of several nodes on one PostgreSQL database (see db/migration-postgresql/V011). One process on
-- SQLite keeps its claims in memory and never sets them; the columns keep both schemas alike, so that a copy from
-- SQLite to PostgreSQL moves every column.
ALTER TABLE webhooks ADD COLUMN lease_owner TEXT;
ALTER TABLE webhooks ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN lease_fence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE state = 'active';
