-- Issue 13, intake speed on PostgreSQL: every new case used to update the
-- same few rows (the "new" case count, the per-kind and per-outcome
-- counters, its campaign's report count), so concurrent reports waited for
-- each other's commits. Counts are now spread over shards (a transaction
-- picks one at random; readers add them up) and a campaign's reports are
-- counted from its attachments when read.
ALTER TABLE case_counts ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_counts DROP CONSTRAINT case_counts_pkey;
ALTER TABLE case_counts ADD PRIMARY KEY (status, confidential, shard);

ALTER TABLE counters ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE counters DROP CONSTRAINT counters_pkey;
ALTER TABLE counters ADD PRIMARY KEY (name, label, shard);

ALTER TABLE campaigns DROP COLUMN reports;

-- The outbox worker claims the oldest due messages (ORDER BY next_at, id).
-- The old index ended at next_at, so every claim sorted the whole backlog
-- (100 ms a claim at 100,000 queued on PostgreSQL, while the web pages
-- waited for the CPU); with id in the index the claim reads only its batch.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, next_at, id);
