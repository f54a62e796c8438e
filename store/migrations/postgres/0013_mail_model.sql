-- Issue 16: the organisation's own mail model, learned from its team's
-- decisions on reported mail. mail_model holds it whole in one row
-- (mailscan.OrgModel's encoding); version grows with every change, so an
-- instance knows when to read it again. mail_learned records each message
-- learned (label phish or safe), so the same message counts once.
CREATE TABLE mail_model (
  name       TEXT   PRIMARY KEY,
  data       BYTEA   NOT NULL,
  version    BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE mail_learned (
  msg_key    TEXT   PRIMARY KEY,
  label      TEXT   NOT NULL,
  source     TEXT   NOT NULL,
  learned_at BIGINT NOT NULL
);
-- The automatic analysis of a campaign: the strongest verdict and score of
-- its reported emails, shown beside the responders' decision.
ALTER TABLE campaigns ADD COLUMN auto_verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN auto_score INTEGER NOT NULL DEFAULT 0;
