package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/playbook"
)

// createTasks copies a playbook's tasks onto a case reported at from, in
// one statement (rowsPerInsert tasks at a time).
func (tx *Tx) createTasks(ctx context.Context, caseID int64, pb *playbook.Playbook, from time.Time) error {
	rows := &multiInsert{tx: tx, cols: 8,
		head: "INSERT INTO case_tasks (case_id, task_id, position, title, phase, owner, due_in, due_at) VALUES "}
	for i, t := range pb.Tasks {
		due, err := playbook.ParseDuration(t.DueIn)
		if err != nil {
			return err
		}
		if err := rows.add(ctx, caseID, t.ID, i, t.Title, t.Phase, t.Owner, t.DueIn, millis(from.Add(due))); err != nil {
			return err
		}
	}
	return rows.flush(ctx)
}

const taskSelect = `SELECT t.task_id, t.title, t.phase, t.owner, t.due_in, t.due_at, t.done_at, u.email, u.name,
	u.department
	FROM case_tasks t LEFT JOIN users u ON u.id = t.done_by`

func scanTask(row scanner) (*ally.Task, error) {
	var t ally.Task
	var due int64
	var done sql.NullInt64
	var email, name, dept sql.NullString
	if err := row.Scan(&t.ID, &t.Title, &t.Phase, &t.Owner, &t.DueIn, &due, &done, &email, &name, &dept); err != nil {
		return nil, err
	}
	t.DueAt, t.DoneAt, t.Done = fromMillis(due), fromNullMillis(done), done.Valid
	t.DoneBy = personOrNil(email, name, dept)
	return &t, nil
}

// Tasks implements ally.TaskService.
func (db *DB) Tasks(ctx context.Context, ref string) (_ []*ally.Task, err error) {
	defer wrap(&err, "tasks")
	if _, err := ally.Caller(ctx); err != nil {
		return nil, err
	}
	out := []*ally.Task{}
	err = db.readFew(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		out, err = tx.tasks(ctx, c)
		return err
	})
	return out, err
}

// tasks lists c's tasks the signed-in user may see, in playbook order.
func (tx *Tx) tasks(ctx context.Context, c *ally.Case) ([]*ally.Task, error) {
	q := taskSelect + " WHERE t.case_id = ?"
	args := []any{c.ID}
	if !ally.CanSeeTask(ally.UserFromContext(ctx), ally.OwnerResponder) { // then they see the reporter's tasks only
		q += " AND t.owner = ?"
		args = append(args, ally.OwnerReporter)
	}
	return collect(ctx, tx, scanTask, q+" ORDER BY t.position", args...)
}

// SetTaskDone implements ally.TaskService.
func (db *DB) SetTaskDone(ctx context.Context, ref, id string, done bool) (_ *ally.Task, err error) {
	defer wrap(&err, "set task done")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var t *ally.Task
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		if t, err = scanTask(tx.queryRow(ctx, taskSelect+" WHERE t.case_id = ? AND t.task_id = ?", c.ID, id)); err != nil {
			return ally.Errorf(ally.ENOTFOUND, "Case %s has no task %q.", c.Ref, id)
		}
		if !ally.CanSeeTask(u, t.Owner) {
			return ally.Errorf(ally.ENOTFOUND, "Case %s has no task %q.", c.Ref, id)
		}
		if !ally.CanTickTask(u, c, t.Owner) {
			return ally.Errorf(ally.EFORBIDDEN, "Only responders can tick this task.")
		}
		return tx.setTaskDone(ctx, c, t, u, done)
	})
	return t, err
}

// SaveChecklist implements ally.TaskService.
func (db *DB) SaveChecklist(ctx context.Context, ref string, done []string) (_ []*ally.Task, err error) {
	defer wrap(&err, "save checklist")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ally.Task
	err = db.withTx(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(ctx, ref)
		if err != nil {
			return err
		}
		if out, err = tx.tasks(ctx, c); err != nil {
			return err
		}
		for _, t := range out {
			if want := slices.Contains(done, t.ID); want != t.Done && ally.CanTickTask(u, c, t.Owner) {
				if err := tx.setTaskDone(ctx, c, t, u, want); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// tickDoneBy ticks, as u, c's open tasks that the playbook says are done
// by one of events (playbook.Task.DoneWhen): adding an email ticks "Add
// the email to this report" by itself.
func (tx *Tx) tickDoneBy(ctx context.Context, c *ally.Case, u *ally.User, events []string) error {
	pb, ok := tx.db.opts.Playbooks.Get(string(c.Kind))
	if !ok {
		return nil
	}
	for _, pt := range pb.Tasks {
		if pt.DoneWhen == "" || !slices.Contains(events, pt.DoneWhen) {
			continue
		}
		res, err := tx.exec(ctx, `UPDATE case_tasks SET done_at = ?, done_by = ?
			WHERE case_id = ? AND task_id = ? AND done_at IS NULL`, millis(tx.now), u.ID, c.ID, pt.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if err := tx.audit(ctx, "task.done", c.Ref+"/"+pt.ID, "done ("+pt.DoneWhen+")"); err != nil {
				return err
			}
		}
	}
	return nil
}

// setTaskDone ticks or unticks t on c as u, with its audit record.
func (tx *Tx) setTaskDone(ctx context.Context, c *ally.Case, t *ally.Task, u *ally.User, done bool) error {
	var doneAt, doneBy any
	if done {
		doneAt, doneBy = millis(tx.now), u.ID
	}
	if _, err := tx.exec(ctx, "UPDATE case_tasks SET done_at = ?, done_by = ? WHERE case_id = ? AND task_id = ?",
		doneAt, doneBy, c.ID, t.ID); err != nil {
		return err
	}
	t.Done, t.DoneAt, t.DoneBy = done, nil, nil
	if done {
		now, p := tx.now, u.Person()
		t.DoneAt, t.DoneBy = &now, &p
	}
	return tx.audit(ctx, "task.done", c.Ref+"/"+t.ID, boolWord(done))
}

func boolWord(b bool) string {
	if b {
		return "done"
	}
	return "not done"
}
