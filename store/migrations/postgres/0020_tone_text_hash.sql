-- The leads' tone page shows each message's latest mark, found by its words
-- in tone_examples: with no index on the text, a scan of every example per
-- message. text_hash is the first 64 bits of the text's SHA-256 (set by the
-- store on insert; filled in Go for the examples already there, as 0 until
-- then), indexed with id so that the latest example of some words is one
-- index probe; a look-up compares the text too.
ALTER TABLE tone_examples ADD COLUMN text_hash BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tone_examples_hash ON tone_examples (text_hash, id);
