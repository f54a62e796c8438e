package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/allydesk/ally"
)

// usersPage is the admins' list of accounts.
type usersPage struct {
	chrome
	Users   []*ally.User
	Pages   pager
	Roles   []ally.Role
	New     ally.NewUser // the add form's values
	Created *ally.User   // the account just added
	// Password is the generated password of Created, or the one-time
	// password of ResetEmail, shown only once.
	Password   string
	ResetEmail string
	Error      string
	// The managed list of departments, the add form's name and its problem.
	Departments     []string
	NewDepartment   string
	DepartmentError string
}

// usersLimit is the users page's size.
const usersLimit = 50

// errNotAdmin refuses the users pages to anyone but admins.
var errNotAdmin = ally.Errorf(ally.EFORBIDDEN, "Only admins can manage accounts.")

func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanManageUsers(u) {
		return errNotAdmin
	}
	p, err := s.usersPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "users", p)
}

func (s *Server) usersPage(r *http.Request) (*usersPage, error) {
	users, err := s.Users.FindUsers(r.Context(), r.URL.Query().Get("cursor"), usersLimit+1)
	if errors.Is(err, ally.ErrBadCursor) {
		return nil, ally.Errorf(ally.EINVALID, "That link to more accounts is not right. Start again from the users page.")
	} else if err != nil {
		return nil, err
	}
	p := &usersPage{chrome: chromeFor(r, "Users"), Users: users, Roles: ally.Roles,
		New: ally.NewUser{Role: ally.RoleReporter}}
	if p.Departments, err = s.departmentList(r); err != nil {
		return nil, err
	}
	next := ""
	if len(users) > usersLimit {
		p.Users = users[:usersLimit]
		next = ally.UserCursor(users[usersLimit-1])
	}
	p.Pages = newPager(r, "/admin/users", next, pageWords)
	return p, nil
}

// postNewUser adds an account. A blank password is generated and shown
// once on the answer page, which is why this post is not redirected.
func (s *Server) postNewUser(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanManageUsers(u) {
		return errNotAdmin
	}
	n := ally.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: ally.Role(r.PostFormValue("role")), Department: r.PostFormValue("department"),
		Password: r.PostFormValue("password")}
	generated := n.Password == ""
	if generated {
		n.Password = newPassword()
	}
	form := n
	created, err := s.Users.CreateUser(r.Context(), &n)
	if code := ally.ErrorCode(err); code != "" && code != ally.EINVALID && code != ally.ECONFLICT {
		return err
	}
	p, perr := s.usersPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		form.Password = ""
		p.New, p.Error = form, pageMessage(err)
		return s.render(w, statusFor(ally.ErrorCode(err)), "users", p)
	}
	p.Created = created
	if generated {
		p.Password = n.Password
	}
	return s.render(w, http.StatusCreated, "users", p)
}

// postUserUpdate changes an account's role or turns it off or on.
func (s *Server) postUserUpdate(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if !ally.CanManageUsers(u) {
		return errNotAdmin
	}
	var up ally.UserUpdate
	if role := ally.Role(r.PostFormValue("role")); role != "" {
		up.Role = &role
	}
	switch r.PostFormValue("disabled") {
	case "1":
		up.Disabled = new(true)
	case "0":
		up.Disabled = new(false)
	}
	if _, err := s.Users.UpdateUser(r.Context(), r.PathValue("email"), up); err != nil {
		return err
	}
	return redirect(w, r, "/admin/users?done=user")
}

// newPassword returns a random password of 24 URL-safe characters.
func newPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
