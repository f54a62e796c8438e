package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/allydesk/ally"
)

const practiceSelect = `SELECT p.id, p.trainee_id, p.scenario, p.title, p.turns, p.ended, p.overall, p.session,
	p.created_at,
	p.updated_at, u.email, u.name, u.department FROM practices p JOIN users u ON u.id = p.trainee_id`

func scanPractice(row scanner) (*ally.Practice, error) {
	var p ally.Practice
	var overall sql.NullInt64
	var session string
	var created, updated int64
	if err := row.Scan(&p.ID, &p.TraineeID, &p.Scenario, &p.Title, &p.Turns, &p.Ended, &overall, &session, &created,
		&updated, &p.Trainee.Email, &p.Trainee.Name, &p.Trainee.Department); err != nil {
		return nil, err
	}
	p.Overall = intOrNil(overall)
	p.Session, p.CreatedAt, p.UpdatedAt = []byte(session), fromMillis(created), fromMillis(updated)
	return &p, nil
}

// StartPractice implements ally.PracticeService.
func (db *DB) StartPractice(ctx context.Context, p *ally.Practice) (err error) {
	defer wrap(&err, "start practice")
	u, err := ally.Allowed(ctx, ally.CanPractise, "Practice is for responders.")
	if err != nil {
		return err
	}
	if p.Scenario == "" || len(p.Session) == 0 {
		return ally.Errorf(ally.EINVALID, "scenario: is required.")
	}
	return db.withTx(ctx, func(tx *Tx) error {
		p.TraineeID, p.Trainee, p.CreatedAt, p.UpdatedAt = u.ID, u.Person(), tx.now, tx.now
		var err error
		p.ID, err = tx.insert(ctx, `INSERT INTO practices (trainee_id, scenario, title, turns, ended, overall, session,
			created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, p.Scenario, p.Title, p.Turns, p.Ended, p.Overall, string(p.Session),
			millis(tx.now), millis(tx.now))
		return err
	})
}

// FindPractice implements ally.PracticeService.
func (db *DB) FindPractice(ctx context.Context, id int64) (_ *ally.Practice, err error) {
	defer wrap(&err, "find practice")
	var p *ally.Practice
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		p, err = tx.visiblePractice(ctx, id)
		return err
	})
	return p, err
}

// visiblePractice loads a session its trainee, or a lead, may see.
func (tx *Tx) visiblePractice(ctx context.Context, id int64) (*ally.Practice, error) {
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	p, err := scanPractice(tx.queryRow(ctx, practiceSelect+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !ally.CanSeePractice(u, p.TraineeID)) {
		return nil, ally.Errorf(ally.ENOTFOUND, "No practice session %d was found.", id)
	}
	return p, err
}

// SavePractice implements ally.PracticeService.
func (db *DB) SavePractice(ctx context.Context, p *ally.Practice) (err error) {
	defer wrap(&err, "save practice")
	u, err := ally.Caller(ctx)
	if err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *Tx) error {
		old, err := tx.visiblePractice(ctx, p.ID)
		if err != nil {
			return err
		}
		if !ally.CanContinuePractice(u, old.TraineeID) {
			return ally.Errorf(ally.ENOTFOUND, "No practice session %d was found.", p.ID)
		}
		if old.Ended != "" {
			return ally.Errorf(ally.ECONFLICT, "This practice session has ended; start a new one.")
		}
		p.UpdatedAt = tx.now
		_, err = tx.exec(ctx, "UPDATE practices SET turns = ?, ended = ?, overall = ?, session = ?, updated_at = ? "+
			"WHERE id = ?",
			p.Turns, p.Ended, p.Overall, string(p.Session), millis(tx.now), p.ID)
		return err
	})
}

// FindPractices implements ally.PracticeService.
func (db *DB) FindPractices(ctx context.Context, everyone bool, before int64, limit int) (
	_ []*ally.Practice, err error) {
	defer wrap(&err, "find practices")
	u, err := ally.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if everyone && !ally.CanSeeEveryonesPractice(u) {
		return nil, ally.Errorf(ally.EFORBIDDEN, "Only leads and admins can see everyone's practice.")
	}
	q, args := practiceSelect+" WHERE p.id < ?", []any{newestFirst(before)}
	if !everyone {
		q, args = q+" AND p.trainee_id = ?", append(args, u.ID)
	}
	var out []*ally.Practice
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanPractice, q+" ORDER BY p.id DESC LIMIT ?", append(args, limit)...)
		return err
	})
	return out, err
}

// practiceProgress sums up each trainee's sessions in one pass: the count,
// the best score, and the score of the newest ended session (through the
// practices_trainee index, newest first). Sessions still going have no
// score, so they count but score nothing.
const practiceProgress = `SELECT p.trainee_id, u.email, u.name, u.department, COUNT(*), MAX(p.overall),
	(SELECT l.overall FROM practices l WHERE l.trainee_id = p.trainee_id AND l.overall IS NOT NULL ORDER BY l.id DESC
		LIMIT 1)
	FROM practices p JOIN users u ON u.id = p.trainee_id
	GROUP BY p.trainee_id, u.email, u.name, u.department
	ORDER BY MAX(p.id) DESC`

func scanProgress(row scanner) (*ally.PracticeProgress, error) {
	var p ally.PracticeProgress
	var best, latest sql.NullInt64
	if err := row.Scan(&p.TraineeID, &p.Trainee.Email, &p.Trainee.Name, &p.Trainee.Department, &p.Sessions, &best,
		&latest); err != nil {
		return nil, err
	}
	p.Best, p.Latest = intOrNil(best), intOrNil(latest)
	return &p, nil
}

func intOrNil(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// FindPracticeProgress implements ally.PracticeService.
func (db *DB) FindPracticeProgress(ctx context.Context) (_ []*ally.PracticeProgress, err error) {
	defer wrap(&err, "find practice progress")
	if _, err := ally.Allowed(ctx, ally.CanSeeEveryonesPractice,
		"Only leads and admins can see the team's practice progress."); err != nil {
		return nil, err
	}
	var out []*ally.PracticeProgress
	err = db.withRead(ctx, func(tx *Tx) error {
		var err error
		out, err = collect(ctx, tx, scanProgress, practiceProgress)
		return err
	})
	return out, err
}
