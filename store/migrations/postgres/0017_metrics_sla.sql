-- The team metrics judge SLA breaches from the targets stored on each case
-- (ack_due_at, resolve_due_at; issue 18), so the covering index of the
-- metrics scan carries them too and the scan still never touches the table.
DROP INDEX cases_metrics;
CREATE INDEX cases_metrics ON cases (reported_at, department, kind, severity, reporter_id, occurred_at,
  acknowledged_at, contained_at, resolved_at, closed_at, ack_due_at, resolve_due_at, id);
