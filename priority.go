package ally

// Priority orders the queue (lower first): new cases first, then other
// open ones, then finished ones; within each, the most severe first. It is
// stored with each case so that the queue is an index scan.
func (c *Case) Priority() int {
	bucket := 1
	switch {
	case c.Status == StatusNew:
		bucket = 0
	case !c.Status.Open():
		bucket = 2
	}
	return bucket*10 + 3 - c.Severity.Rank()
}

// OpenPriorityLimit is the first Priority of finished cases: open cases
// are those below it.
const OpenPriorityLimit = 20
