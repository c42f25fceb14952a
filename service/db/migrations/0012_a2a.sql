-- Agent-to-agent (issue 12). a2a_tasks becomes the A2A SDK's task model: the whole task (status, history,
-- artifacts) as the protocol's JSON, with the columns a lookup filters on beside it. Every task belongs to
-- one client of one tenant acting for one user. a2a_sessions is the consent a user gave a client (revocable;
-- at most one live consent per client, so the client's token names exactly one user). a2a_push_configs holds
-- the clients' webhooks.
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

-- Push notification configs (the SDK's PushNotificationStore): a client's webhooks for one of its tasks. No
-- foreign key to a2a_tasks: a message may name its webhook before the task's first save.
CREATE TABLE a2a_push_configs (
  client_id     uuid NOT NULL REFERENCES a2a_clients (id) ON DELETE CASCADE,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  task_id       text NOT NULL,
  config_id     text NOT NULL,
  config        jsonb NOT NULL,
  wire_version  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, task_id, config_id)
);
