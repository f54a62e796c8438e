package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the cache; queries built from many filter
// combinations beyond it are simply prepared each time.
const maxCachedStmts = 512

// stmtCache keeps prepared statements per pool and query, so SQLite does not
// parse the same SQL on every call (a fifth of the cost of a write).
//
// A statement cannot be prepared while its transaction holds the pool's
// connection (the SQLite writer has only one), so a miss is run unprepared
// and remembered, and prepareMissed prepares it once the transaction is over.
type stmtCache struct {
	mu     sync.Mutex
	m      map[stmtKey]*sql.Stmt
	missed map[stmtKey]bool
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

// get returns the cached statement, or nil after noting the miss.
func (c *stmtCache) get(pool *sql.DB, q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := stmtKey{pool, q}
	if st, ok := c.m[k]; ok {
		return st
	}
	if len(c.m)+len(c.missed) < maxCachedStmts {
		if c.missed == nil {
			c.missed = map[stmtKey]bool{}
		}
		c.missed[k] = true
	}
	return nil
}

// prepareMissed prepares the statements that missed; call it holding no
// connection.
func (c *stmtCache) prepareMissed(ctx context.Context) {
	c.mu.Lock()
	missed := c.missed
	c.missed = nil
	c.mu.Unlock()
	for k := range missed {
		st, err := k.pool.PrepareContext(ctx, k.q)
		if err != nil {
			continue // the query runs unprepared and reports its own error
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[stmtKey]*sql.Stmt{}
		}
		if _, dup := c.m[k]; dup {
			st.Close()
		} else {
			c.m[k] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
