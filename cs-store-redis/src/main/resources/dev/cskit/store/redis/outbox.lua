-- Stores the progress of outbox records (kept ones stored, the others forgotten).
-- KEYS: 1 the outbox records, 2 their order, 3 the outbox sequence
-- ARGV: 1.. outbox triples
outbox(KEYS[1], KEYS[2], KEYS[3], 1)
return 'STORED'
