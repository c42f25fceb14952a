-- A counter per user that moves in the same transaction as every change to what that user's read tools
-- answer from: activities and their streams, sleep, HRV, provider connections (a sync's completion and the
-- profile it stored included, through markSynced), fitness configurations (a tenant-wide one moves every
-- member's), goals and insights. The /mcp rate-limit charge reads it with the counters (ratelimit/counters.ts),
-- so an instance can reuse an answer it computed while the version is unchanged (mcp/answer-cache.ts)
-- without a query of its own. No row yet reads as version 0.
CREATE TABLE user_data_versions (
  user_id  uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  version  bigint NOT NULL DEFAULT 0
);

-- Statement-level, over the statement's transition table: a sync's bulk insert of hundreds of rows bumps
-- once. Users in id order, so two concurrent statements cannot deadlock on their version rows.
CREATE FUNCTION bump_user_data_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_data_versions AS v (user_id, version)
  SELECT user_id, 1 FROM (
    SELECT c.user_id FROM changed_rows c WHERE c.user_id IS NOT NULL
    UNION
    SELECT m.user_id FROM changed_rows c JOIN tenant_memberships m ON m.tenant_id = c.tenant_id WHERE c.user_id IS NULL
  ) AS affected
  -- A user being deleted (the cascade that removes their rows fires this too) has nothing left to version.
  WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = affected.user_id)
  ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  data_table text;
BEGIN
  FOREACH data_table IN ARRAY ARRAY['fitness_activities', 'fitness_activity_streams', 'sleep_records', 'hrv_records',
                                    'provider_connections', 'fitness_configurations', 'goals', 'insights'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_user_data_versions()', data_table || '_data_version_insert', data_table);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_user_data_versions()', data_table || '_data_version_update', data_table);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_user_data_versions()', data_table || '_data_version_delete', data_table);
  END LOOP;
END;
$$;
