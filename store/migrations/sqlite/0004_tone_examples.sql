-- The organisation's own tone examples: responder wording a lead marked
-- "reads as blaming" (blame) or "is fine". The tone engine's organisation
-- layer is built from them. kind is optional (advice, passive, training,
-- sarcasm, shaming, threat, damage); marked_by is empty for bulk imports.
CREATE TABLE tone_examples (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  text       TEXT    NOT NULL,
  blame      BOOLEAN NOT NULL,
  kind       TEXT    NOT NULL DEFAULT '',
  marked_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT  NOT NULL
);
