package ally_test

import (
	"strings"
	"testing"

	"github.com/allydesk/ally"
)

// Issue 20 F10: NIST 800-63B checks on every new password, each refusal
// saying what was wrong.
func TestNewUserPasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want string // "" accepted, else a word of the message
	}{
		{"correct horse battery", ""},
		{"ťří slova navíc", ""},
		{"short", "at least 12"},
		{"ééééééééééé", "at least 12"}, // 11 characters though 22 bytes
		{strings.Repeat("x", 1025), "longer than 1024"},
		{"            ", "repeated"},
		{"aaaaaaaaaaaaaaa", "repeated"},
		{"sam.taylor@example.com", "email"},
		{"Sam.Taylor@Example.com!!", "email"},
		{"sam.taylor12", ""},
		{"SAM.TAYLOR", "at least 12"},
		{"Samantha Taylor", "name"},
		{"samanthataylor", "name"},
		{"password1234", "common passwords"},
		{"Password 1234", "common passwords"},
		{"QWERTY123456", "common passwords"},
	} {
		n := ally.NewUser{Email: "sam.taylor@example.com", Name: "Samantha Taylor", Role: ally.RoleReporter, Password: tc.pw}
		err := n.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q refused: %v", tc.pw, err)
		case tc.want != "" && (ally.ErrorCode(err) != ally.EINVALID || !strings.Contains(ally.ErrorMessage(err), tc.want)):
			t.Errorf("%q: got %v, want EINVALID saying %q", tc.pw, err, tc.want)
		}
	}
	long := ally.NewUser{Email: "samantha.taylor@example.com", Name: "Sam", Role: ally.RoleReporter, Password: "samantha.taylor"}
	if err := long.Validate(); ally.ErrorCode(err) != ally.EINVALID {
		t.Errorf("the email's local part was accepted: %v", err)
	}
}
