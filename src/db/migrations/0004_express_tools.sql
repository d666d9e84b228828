-- Express tools (SPEC X4, X7): declared delay periods — holidays, bad weather, promotions — for
-- regions (code prefixes; none = nationwide), which lengthen delivery estimates. Tariffs, transit
-- days, route overrides and the item catalogue are settings.
CREATE TABLE delay_periods (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('holiday', 'weather', 'promotion')),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  region_prefixes text[] NOT NULL DEFAULT '{}',
  starts_on       date NOT NULL,
  ends_on         date NOT NULL,
  extra_min_days  integer NOT NULL CHECK (extra_min_days BETWEEN 0 AND 60),
  extra_max_days  integer NOT NULL CHECK (extra_max_days BETWEEN 0 AND 60),
  notice          text,
  created_by      uuid REFERENCES users(id),
  updated_by      uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT delay_periods_dates CHECK (ends_on >= starts_on),
  CONSTRAINT delay_periods_days CHECK (extra_max_days >= extra_min_days)
);
-- Estimates read the periods that have not ended yet.
CREATE INDEX delay_periods_ends_on ON delay_periods (ends_on);
