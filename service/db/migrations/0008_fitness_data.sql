-- PROPOSED by the providers branch (issue 8) for the lead to adopt or amend while wiring sync: storage for
-- the normalized model of service/fitness/model.ts, per-connection sync state and the providers'
-- rate-limit state shared by every instance. Tokens stay in user_oauth_tokens (0001).

-- The synthetic athlete is a provider like the others, and a dead grant is its own state.
ALTER TABLE provider_connections DROP CONSTRAINT provider_connections_provider_check;
ALTER TABLE provider_connections ADD CONSTRAINT provider_connections_provider_check
  CHECK (provider IN ('strava', 'garmin', 'fitbit', 'synthetic'));
ALTER TABLE provider_connections DROP CONSTRAINT provider_connections_status_check;
ALTER TABLE provider_connections ADD CONSTRAINT provider_connections_status_check
  CHECK (status IN ('pending', 'connected', 'disconnected', 'error', 'reauthorization_required'));

-- One row per connection: the provider's opaque cursor and a lease, so two instances never sync one
-- connection at once (take it with UPDATE ... WHERE sync_lease_until IS NULL OR sync_lease_until < now()).
CREATE TABLE provider_sync_state (
  connection_id       uuid PRIMARY KEY REFERENCES provider_connections (id) ON DELETE CASCADE,
  activities_cursor   text,
  activities_synced_at timestamptz,
  sync_lease_until    timestamptz,
  sync_lease_owner    text,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fitness_activities (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL,
  user_id                 uuid NOT NULL,
  connection_id           uuid NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  provider                text NOT NULL,
  external_id             text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  sport                   text NOT NULL CHECK (sport IN ('run', 'ride', 'swim', 'walk', 'hike', 'strength', 'other')),
  provider_sport          text,
  name                    text NOT NULL,
  start_time              timestamptz NOT NULL,
  utc_offset_seconds      integer NOT NULL,
  elapsed_seconds         double precision NOT NULL,
  moving_seconds          double precision,
  distance_meters         double precision,
  elevation_gain_meters   double precision,
  avg_heart_rate          double precision,
  max_heart_rate          double precision,
  avg_power_watts         double precision,
  normalized_power_watts  double precision,
  avg_speed_mps           double precision,
  calories                double precision,
  device                  text,
  synthetic               boolean NOT NULL DEFAULT false,
  laps                    jsonb,
  -- When the list last carried this activity, and when its detail (laps, streams) was last read.
  fetched_at              timestamptz NOT NULL DEFAULT now(),
  detail_fetched_at       timestamptz,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX fitness_activities_user_start_idx ON fitness_activities (tenant_id, user_id, start_time DESC);
CREATE INDEX fitness_activities_user_sport_start_idx ON fitness_activities (tenant_id, user_id, sport, start_time DESC);

-- Streams as parallel arrays (one element per sample, NULL for a dropout), read whole or not at all.
CREATE TABLE fitness_activity_streams (
  activity_id       uuid PRIMARY KEY REFERENCES fitness_activities (id) ON DELETE CASCADE,
  tenant_id         uuid NOT NULL,
  user_id           uuid NOT NULL,
  time_seconds      real[] NOT NULL,
  heart_rate        real[],
  power_watts       real[],
  speed_mps         real[],
  altitude_meters   real[],
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE TABLE sleep_records (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL,
  user_id           uuid NOT NULL,
  connection_id     uuid NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  external_id       text NOT NULL,
  sleep_date        date NOT NULL,
  start_time        timestamptz NOT NULL,
  end_time          timestamptz NOT NULL CHECK (end_time >= start_time),
  utc_offset_seconds integer NOT NULL,
  minutes_asleep    double precision NOT NULL,
  minutes_awake     double precision,
  deep_minutes      double precision,
  light_minutes     double precision,
  rem_minutes       double precision,
  is_main_sleep     boolean NOT NULL,
  synthetic         boolean NOT NULL DEFAULT false,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sleep_records_user_date_idx ON sleep_records (tenant_id, user_id, sleep_date);

CREATE TABLE hrv_records (
  connection_id        uuid NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  tenant_id            uuid NOT NULL,
  user_id              uuid NOT NULL,
  hrv_date             date NOT NULL,
  rmssd_ms             double precision NOT NULL CHECK (rmssd_ms > 0),
  deep_sleep_rmssd_ms  double precision,
  synthetic            boolean NOT NULL DEFAULT false,
  PRIMARY KEY (connection_id, hrv_date),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX hrv_records_user_date_idx ON hrv_records (tenant_id, user_id, hrv_date);

-- Quota state per application (not per user): the windows a provider's headers describe
-- (service/providers/types.ts RateLimitWindow) and, under window_name 'retry-after', the time a 429 told
-- us to wait until. Shared by all instances so none of them calls while another has been told to wait.
CREATE TABLE provider_rate_limits (
  provider      text NOT NULL,
  window_name   text NOT NULL,
  limit_count   integer,
  usage_count   integer,
  resets_at     timestamptz NOT NULL,
  observed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, window_name)
);
