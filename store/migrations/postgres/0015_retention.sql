-- The retention policy (issue 19): what happens to closed cases, by kind
-- ('*' for every kind without its own rule), and when a case was handled.
CREATE TABLE retention_rules (
  kind   TEXT   PRIMARY KEY,
  action TEXT   NOT NULL,  -- deidentify or delete
  days   BIGINT NOT NULL   -- after this many days resolved or closed
);
ALTER TABLE cases ADD COLUMN retained_at BIGINT;
CREATE INDEX cases_unretained ON cases (resolved_at) WHERE retained_at IS NULL;
