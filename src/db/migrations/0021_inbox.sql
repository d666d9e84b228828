-- The agent's own order of their saved views (issue 6): PUT /me/views/order sets a position per
-- view; views never placed (all of them until the first reorder) sort after, by name, and a view
-- created after a reorder is placed last.
ALTER TABLE saved_views ADD COLUMN position integer CHECK (position >= 0);
