package ally

import (
	"context"
	"strings"
)

// MaxDepartment is the longest department name, in characters.
const MaxDepartment = 100

// CheckDepartment trims a new department's name and returns EINVALID
// naming the field when it is empty or too long.
func CheckDepartment(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Errorf(EINVALID, "name: is required; give the department's name, e.g. Finance.")
	case TooLong(name, MaxDepartment):
		return "", Errorf(EINVALID, "name: is longer than %d characters; shorten it.", MaxDepartment)
	}
	return name, nil
}

// DepartmentService keeps the managed list of departments. Every account's
// department is on it; admins add more.
type DepartmentService interface {
	// Departments lists every department by name. Errors: EUNAUTHORIZED,
	// EFORBIDDEN.
	Departments(ctx context.Context) ([]string, error)
	// AddDepartment adds one. Errors: EFORBIDDEN, EINVALID, ECONFLICT.
	AddDepartment(ctx context.Context, name string) (string, error)
}
