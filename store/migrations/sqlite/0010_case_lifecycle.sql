-- Issue 18: the case lifecycle.
-- SLA targets fixed on the case when its clock starts (at the report, and
-- again when its severity changes), with the version of the playbook they
-- came from, instead of being worked out from today's playbook at every
-- read. NULL sla_version: not fixed yet; the migration fills every existing
-- case from the playbooks it runs with (store/sla.go, fillSLA).
ALTER TABLE cases ADD COLUMN ack_due_at BIGINT;
ALTER TABLE cases ADD COLUMN resolve_due_at BIGINT;
ALTER TABLE cases ADD COLUMN sla_version TEXT;

-- Cases that link: a duplicate points at the case that survives it; related
-- cases are one row, found from either end.
CREATE TABLE case_links (
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  other_id   INTEGER NOT NULL REFERENCES cases(id),
  type       TEXT    NOT NULL, -- duplicate (case_id duplicates other_id) or related
  created_by INTEGER REFERENCES users(id),
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (case_id, other_id)
);
CREATE INDEX case_links_other ON case_links (other_id, case_id);

-- Departments are a managed list (admins add them; every department an
-- account already names is on it), for the filters and account forms.
CREATE TABLE departments (
  name       TEXT   PRIMARY KEY,
  created_at BIGINT NOT NULL
);
INSERT INTO departments (name, created_at)
  SELECT DISTINCT department, 0 FROM users WHERE department <> '';
