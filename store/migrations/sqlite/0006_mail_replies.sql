-- Reporters' email replies filed in their cases (issue 13): one row per
-- message, so that the same reply read twice (IMAP reconnects, an SMTP
-- client retrying) is posted once.
CREATE TABLE mail_replies (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  dedup_key   TEXT    NOT NULL UNIQUE, -- as mail_intake.dedup_key
  case_id     INTEGER REFERENCES cases(id),
  entry_id    INTEGER,                    -- the message posted; NULL for automatic mail (never posted)
  received_at BIGINT  NOT NULL
);
