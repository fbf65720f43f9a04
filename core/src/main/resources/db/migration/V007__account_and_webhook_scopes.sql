-- What account.get shows beside the username; account.update changes them.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- Scoped webhooks: {"<key>": {"kind", "query"}} as JSON, null for webhooks notified of every change.
-- The partial index keeps the commit-time lookup of a user's scoped webhooks one probe, and costs nothing to others.
ALTER TABLE webhooks ADD COLUMN scopes TEXT;
CREATE INDEX webhooks_user_scoped ON webhooks (user_id) WHERE scopes IS NOT NULL;
