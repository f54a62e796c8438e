-- Signals follow the retention policy (docs/api.md, Retention): a signal
-- that became a case is de-identified with it; one the person confirmed
-- ("yes, that was me") once its type's kind is due. retained_at marks it.
ALTER TABLE signals ADD COLUMN retained_at BIGINT;
