-- The queue as a work surface (issue 18) and unread markers (issue 13).
--
-- due_at: the case's next deadline (ally.Case.NextDeadline) in Unix ms, kept
-- by every write so that the queue can sort by it; 9e15 (far future) when
-- there is none, so the same order holds on SQLite and PostgreSQL.
-- reporter_wrote_at / replied_at: the reporter's latest message after the
-- report, and a responder's latest reply to the reporter, for the unread
-- markers ("Reporter wrote", "New reply") read against case_reads.
ALTER TABLE cases ADD COLUMN due_at BIGINT NOT NULL DEFAULT 9000000000000000;
ALTER TABLE cases ADD COLUMN reporter_wrote_at BIGINT;
ALTER TABLE cases ADD COLUMN replied_at BIGINT;

-- One index per sort, and one per sort over open cases only (the queue's
-- default view), so every sorted page is an index scan. Severity sorts by
-- its rank, the expression below (store/casequery.go uses the same text).
CREATE INDEX cases_due ON cases (due_at, id);
CREATE INDEX cases_created ON cases (reported_at, id);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_sev_rank ON cases ((CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
  WHEN 'medium' THEN 2 ELSE 1 END), id);
CREATE INDEX cases_open_due ON cases (due_at, id) WHERE priority < 20;
CREATE INDEX cases_open_created ON cases (reported_at, id) WHERE priority < 20;
CREATE INDEX cases_open_updated ON cases (updated_at, id) WHERE priority < 20;
CREATE INDEX cases_open_sev_rank ON cases ((CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
  WHEN 'medium' THEN 2 ELSE 1 END), id) WHERE priority < 20;
CREATE INDEX cases_reporter_wrote ON cases (reporter_wrote_at) WHERE reporter_wrote_at IS NOT NULL;

-- Full-text search: one document per case (rowid = case id) holding the
-- words of its reference, reporter, title, report and messages the reporter
-- can see, already split and lower-cased by store/search.go.
CREATE VIRTUAL TABLE case_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 0');

-- Per-user read state: when each person last opened each case.
CREATE TABLE case_reads (
  user_id INTEGER NOT NULL REFERENCES users(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  read_at BIGINT  NOT NULL,
  PRIMARY KEY (user_id, case_id)
);
