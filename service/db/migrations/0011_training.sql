-- Training intelligence (issue 9): the daily TSS series per user, precomputed so load questions over years
-- of history read one row instead of every activity. A row is valid for the basis it names (the merged
-- fitness configuration and the local day it was built for, see service/training/load-cache.ts); any
-- change to the user's activities or streams deletes it, so the next question rebuilds it.
CREATE TABLE training_load_cache (
  tenant_id    uuid NOT NULL,
  user_id      uuid NOT NULL,
  basis        text NOT NULL,
  series       jsonb NOT NULL,
  thresholds   jsonb NOT NULL,
  computed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE FUNCTION training_load_cache_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM training_load_cache WHERE tenant_id = OLD.tenant_id AND user_id = OLD.user_id;
  ELSE
    DELETE FROM training_load_cache WHERE tenant_id = NEW.tenant_id AND user_id = NEW.user_id;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER fitness_activities_invalidate_load AFTER INSERT OR UPDATE OR DELETE ON fitness_activities
  FOR EACH ROW EXECUTE FUNCTION training_load_cache_invalidate();
CREATE TRIGGER fitness_activity_streams_invalidate_load AFTER INSERT OR UPDATE OR DELETE ON fitness_activity_streams
  FOR EACH ROW EXECUTE FUNCTION training_load_cache_invalidate();

-- A race-time goal needs the distance of its race (goals of 0001 have only a target value and unit).
ALTER TABLE goals ADD COLUMN race_distance_meters double precision CHECK (race_distance_meters > 0);

-- Answers of the data services (USDA FoodData Central, OpenWeather) shared by every instance, each with
-- its own lifetime (food 24 h, weather 30 min; service/data-services/cache.ts). Expired rows are ignored
-- and overwritten; a sweep deletes them (data-services/cache.ts).
CREATE TABLE external_cache (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX external_cache_expires_idx ON external_cache (expires_at);
