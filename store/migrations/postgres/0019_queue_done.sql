-- The outbox and webhook totals (Prometheus, the outbox page) counted every
-- row by status, sent mail and delivered webhooks included: a scan of the
-- whole history on every scrape. The queued and failed rows are still
-- counted through the due indexes (status, next_at...); the sent and delivered
-- ones are now kept as a running count in counters (name 'done', label the
-- table), bumped by the store as rows become sent or delivered (and taken
-- down when a webhook's deliveries are deleted). This starts it from the
-- rows there (none on an empty database, so that a restore can load its own).
INSERT INTO counters (name, label, shard, n)
  SELECT 'done', 'outbox', 0, count(*) FROM outbox WHERE status = 'sent'
  HAVING count(*) > 0;
INSERT INTO counters (name, label, shard, n)
  SELECT 'done', 'webhook_deliveries', 0, count(*) FROM webhook_deliveries WHERE status = 'delivered'
  HAVING count(*) > 0;
