-- Agent-to-agent (issue 12). a2a_tasks becomes the A2A SDK's task model: the whole task (status, history,
-- artifacts) as the protocol's JSON, with the columns a lookup filters on beside it. Every task belongs to
-- one client of one tenant acting for one user. a2a_sessions is the consent a user gave a client (revocable;
-- at most one live consent per client, so the client's token names exactly one user).
ALTER TABLE a2a_tasks DROP CONSTRAINT a2a_tasks_status_check;
ALTER TABLE a2a_tasks ALTER COLUMN status SET DEFAULT 'submitted';
ALTER TABLE a2a_tasks ADD CONSTRAINT a2a_tasks_status_check
  CHECK (status IN ('submitted', 'working', 'input-required', 'auth-required', 'completed', 'failed', 'canceled', 'rejected'));
ALTER TABLE a2a_tasks
  ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  ADD COLUMN context_id text,
  ADD COLUMN task jsonb;
CREATE INDEX a2a_tasks_client_idx ON a2a_tasks (client_id, updated_at DESC);

ALTER TABLE a2a_sessions ADD COLUMN revoked_at timestamptz;
CREATE UNIQUE INDEX a2a_sessions_live_client_idx ON a2a_sessions (client_id) WHERE revoked_at IS NULL;
