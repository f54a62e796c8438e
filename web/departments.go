package web

import (
	"net/http"

	"github.com/allydesk/ally"
)

// errNoDepartments answers department routes on a server built without
// the service.
var errNoDepartments = ally.Errorf(ally.ENOTFOUND, "The list of departments is not available on this server.")

func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Departments == nil {
		return errNoDepartments
	}
	items, err := s.Departments.Departments(r.Context())
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

func (s *Server) apiAddDepartment(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Departments == nil {
		return errNoDepartments
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	name, err := s.Departments.AddDepartment(r.Context(), in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": name})
	return nil
}

// departmentList is the managed list for a form's choices, or nil when the
// server has none or the viewer may not read it (the form then takes free
// text).
func (s *Server) departmentList(r *http.Request) ([]string, error) {
	if s.Departments == nil {
		return nil, nil
	}
	out, err := s.Departments.Departments(r.Context())
	if ally.ErrorCode(err) == ally.EFORBIDDEN {
		return nil, nil
	}
	return out, err
}

// postDepartment adds a department from the users page; a refused name
// comes back typed, with the problem next to the field.
func (s *Server) postDepartment(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanManageUsers(u) {
		return errNotAdmin
	}
	if s.Departments == nil {
		return errNoDepartments
	}
	name := r.PostFormValue("name")
	_, err := s.Departments.AddDepartment(r.Context(), name)
	if code := ally.ErrorCode(err); code == ally.EINVALID || code == ally.ECONFLICT {
		p, perr := s.usersPage(r)
		if perr != nil {
			return perr
		}
		p.NewDepartment, p.DepartmentError = name, pageMessage(err)
		return s.render(w, statusFor(code), "users", p)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/users?done=department#departments")
}
