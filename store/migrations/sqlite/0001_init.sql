-- Ally schema, version 1 (SQLite). Times are Unix milliseconds, UTC.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  email         TEXT    NOT NULL UNIQUE,
  name          TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  department    TEXT    NOT NULL DEFAULT '',
  password_hash TEXT    NOT NULL,
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
  hash       TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf       TEXT    NOT NULL,
  expires_at BIGINT  NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE tokens (
  hash       TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  created_at BIGINT  NOT NULL
);

CREATE TABLE cases (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT    NOT NULL,
  summary         TEXT    NOT NULL,
  details         TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  severity        TEXT    NOT NULL,
  priority        INTEGER NOT NULL,
  confidential    BOOLEAN NOT NULL,
  department      TEXT    NOT NULL,
  reporter_id     INTEGER NOT NULL REFERENCES users(id),
  assignee_id     INTEGER REFERENCES users(id),
  answers         TEXT    NOT NULL,
  occurred_at     BIGINT,
  reported_at     BIGINT  NOT NULL,
  acknowledged_at BIGINT,
  contained_at    BIGINT,
  resolved_at     BIGINT,
  closed_at       BIGINT,
  updated_at      BIGINT  NOT NULL
);
CREATE INDEX cases_reporter ON cases (reporter_id, id);
CREATE INDEX cases_status   ON cases (status, id);
CREATE INDEX cases_kind     ON cases (kind, id);
CREATE INDEX cases_severity ON cases (severity, id);
CREATE INDEX cases_assignee ON cases (assignee_id, id);
CREATE INDEX cases_priority ON cases (priority, id);
CREATE INDEX cases_confidential ON cases (assignee_id, status) WHERE confidential;
-- Any combination of the queue's filters has an index, newest first.
CREATE INDEX cases_status_kind          ON cases (status, kind, id);
CREATE INDEX cases_status_severity      ON cases (status, severity, id);
CREATE INDEX cases_kind_severity        ON cases (kind, severity, id);
CREATE INDEX cases_status_kind_severity ON cases (status, kind, severity, id);
-- Covers the metrics scan of a period, so it never touches the table.
CREATE INDEX cases_metrics  ON cases (reported_at, department, kind, severity, reporter_id, occurred_at,
  acknowledged_at, contained_at, resolved_at, closed_at, id);

CREATE TABLE case_counts (
  status       TEXT    NOT NULL,
  confidential BOOLEAN NOT NULL,
  n            BIGINT  NOT NULL,
  PRIMARY KEY (status, confidential)
);

CREATE TABLE entries (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  type       TEXT    NOT NULL,
  author_id  INTEGER REFERENCES users(id),
  body       TEXT    NOT NULL,
  internal   BOOLEAN NOT NULL,
  tone       TEXT,
  tone_error BOOLEAN NOT NULL DEFAULT FALSE,
  tone_rules TEXT    NOT NULL DEFAULT '', -- error-level rule ids, space-separated, for metrics
  created_at BIGINT  NOT NULL
);
CREATE INDEX entries_case    ON entries (case_id, id);
CREATE INDEX entries_tone ON entries (created_at, tone_error, tone_rules) WHERE tone IS NOT NULL AND NOT internal;

CREATE TABLE case_tasks (
  case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  task_id  TEXT    NOT NULL,
  position INTEGER NOT NULL,
  title    TEXT    NOT NULL,
  phase    TEXT    NOT NULL,
  owner    TEXT    NOT NULL,
  due_in   TEXT    NOT NULL,
  due_at   BIGINT  NOT NULL,
  done_at  BIGINT,
  done_by  INTEGER REFERENCES users(id),
  PRIMARY KEY (case_id, task_id)
);

CREATE TABLE feedback (
  case_id    INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  rating     INTEGER NOT NULL,
  comment    TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  department TEXT    NOT NULL, -- the case's, so that metrics need no join
  kind       TEXT    NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at, department, kind, rating);

CREATE TABLE audit (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  actor      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  target     TEXT    NOT NULL,
  detail     TEXT    NOT NULL,
  created_at BIGINT  NOT NULL
);

-- Running totals for Prometheus, kept in step by every write so that all
-- instances report the same figures without scanning cases.
CREATE TABLE counters (
  name  TEXT   NOT NULL,
  label TEXT   NOT NULL,
  n     BIGINT NOT NULL,
  PRIMARY KEY (name, label)
);

-- Uploaded files, stored once per content (SHA-256).
CREATE TABLE blobs (
  sha256 TEXT   PRIMARY KEY,
  size   BIGINT NOT NULL,
  data   BLOB   NOT NULL
);

-- Reports of the same or near-identical email, decided once.
CREATE TABLE campaigns (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  subject       TEXT    NOT NULL,
  sender_domain TEXT    NOT NULL,
  fingerprint   TEXT    NOT NULL,
  verdict       TEXT    NOT NULL,
  decided_by    INTEGER REFERENCES users(id),
  decided_at    BIGINT,
  first_seen    BIGINT  NOT NULL,
  last_seen     BIGINT  NOT NULL,
  reports       BIGINT  NOT NULL
);
CREATE INDEX campaigns_last_seen ON campaigns (last_seen, id);

CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         BIGINT  NOT NULL,
  sha256       TEXT    NOT NULL REFERENCES blobs(sha256),
  uploader_id  INTEGER NOT NULL REFERENCES users(id),
  analysis     TEXT,
  verdict      TEXT,
  campaign_id  INTEGER REFERENCES campaigns(id),
  created_at   BIGINT  NOT NULL
);
CREATE INDEX attachments_case     ON attachments (case_id, id);
CREATE INDEX attachments_campaign ON attachments (campaign_id, id);

-- De-identified lessons shared with every reporter.
CREATE TABLE lessons (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  title        TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  author_id    INTEGER NOT NULL REFERENCES users(id),
  published_at BIGINT  NOT NULL
);

CREATE TABLE lesson_cases (
  lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  PRIMARY KEY (lesson_id, case_id)
);
CREATE INDEX lesson_cases_case ON lesson_cases (case_id);

-- Rehearsals of hard conversations; session is the engine's state (JSON).
CREATE TABLE practices (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  trainee_id INTEGER NOT NULL REFERENCES users(id),
  scenario   TEXT    NOT NULL,
  title      TEXT    NOT NULL,
  turns      INTEGER NOT NULL,
  ended      TEXT    NOT NULL,
  overall    INTEGER,
  session    TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);
CREATE INDEX practices_trainee ON practices (trainee_id, id);
