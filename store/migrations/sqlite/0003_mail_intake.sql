-- Reports that arrive by email (issue 13): where a case came from, and one
-- row per received message so that the same message read twice (IMAP
-- reconnects, an SMTP client retrying) opens one case.
ALTER TABLE cases ADD COLUMN source TEXT NOT NULL DEFAULT 'web';

CREATE TABLE mail_intake (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  dedup_key   TEXT    NOT NULL UNIQUE, -- "message-id:<sender>:<id>", or "imap:<uidvalidity>:<uid>:<folder>" without one
  sender      TEXT    NOT NULL,
  outcome     TEXT    NOT NULL,        -- case, simulation or ignored (automatic mail with nothing reported)
  case_id     INTEGER REFERENCES cases(id),
  reporter_id INTEGER REFERENCES users(id),
  tool        TEXT    NOT NULL,        -- mail, microsoft, knowbe4 or cofense
  label       TEXT    NOT NULL,        -- the reporter's own label from a report button, or ''
  rule        TEXT    NOT NULL,        -- the simulation rule that matched, or ''
  received_at BIGINT  NOT NULL
);
CREATE INDEX mail_intake_outcome ON mail_intake (outcome, received_at);
