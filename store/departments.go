package store

import (
	"context"

	"github.com/allydesk/ally"
)

var _ ally.DepartmentService = (*DB)(nil)

// Departments implements ally.DepartmentService.
func (db *DB) Departments(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "departments")
	if _, err := ally.Allowed(ctx, ally.CanListDepartments, "Only leads and admins can list departments."); err != nil {
		return nil, err
	}
	var out []string
	err = db.readOne(ctx, func(tx *Tx) error {
		out, err = collect(ctx, tx, func(s scanner) (string, error) {
			var n string
			return n, s.Scan(&n)
		}, "SELECT name FROM departments ORDER BY name")
		return err
	})
	return out, err
}

// AddDepartment implements ally.DepartmentService.
func (db *DB) AddDepartment(ctx context.Context, name string) (_ string, err error) {
	defer wrap(&err, "add department")
	if _, err := ally.Allowed(ctx, ally.CanManageUsers, "Only admins can add departments."); err != nil {
		return "", err
	}
	if name, err = ally.CheckDepartment(name); err != nil {
		return "", err
	}
	err = db.withTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "INSERT INTO departments (name, created_at) VALUES (?, ?)", name,
			millis(tx.now)); err != nil {
			if ally.ErrorCode(mapError(err)) == ally.ECONFLICT {
				return ally.Errorf(ally.ECONFLICT, "name: %s is already on the list.", name)
			}
			return err
		}
		return tx.audit(ctx, "department.add", name, "")
	})
	return name, err
}

// keepDepartment puts an account's department on the list.
func (tx *Tx) keepDepartment(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO departments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, millis(tx.now))
	return err
}
