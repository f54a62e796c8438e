package ally

import (
	"fmt"
	"strings"
	"time"
)

// PersonData is everything Ally holds about one person, as they or an
// admin may ask for it (a subject access request): their account, the
// cases they reported with the conversation they can see, everything they
// wrote anywhere, the mail Ally sent them and the audit entries naming them.
type PersonData struct {
	ExportedAt time.Time        `json:"exported_at"`
	Account    *User            `json:"account"`
	Reports    []*PersonReport  `json:"reports"`
	Messages   []*PersonMessage `json:"messages"`
	Mail       []*PersonMail    `json:"mail"`
	Activity   []*AuditRecord   `json:"activity"`
}

// PersonReport is a case the person reported, as they see it.
type PersonReport struct {
	*Case
	Conversation []*Entry `json:"conversation"`
}

// PersonMessage is something the person wrote in a case.
type PersonMessage struct {
	CaseRef   string    `json:"case"`
	Body      string    `json:"body"`
	Internal  bool      `json:"internal"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonMail is a message Ally sent, or will send, to the person.
type PersonMail struct {
	CaseRef   string    `json:"case,omitempty"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// Erasure says what erasing a person changed.
type Erasure struct {
	Pseudonym   string `json:"pseudonym"` // the name the person's records now carry
	Reports     int    `json:"reports"`   // cases they reported, kept for the counts, their words removed
	Messages    int    `json:"messages"`  // their messages in those cases, removed
	Attachments int    `json:"attachments"`
	Mail        int    `json:"mail"` // mail to them: queued mail dropped, sent mail emptied
}

// ErasedText replaces what a person wrote once they are erased.
const ErasedText = "(Removed at the person's request.)"

// erasedDomain is the mail domain of erased people's accounts (.invalid,
// RFC 2606: no mail can reach it).
const erasedDomain = "erased.invalid"

// Pseudonym is the stable name an erased person's records carry, and the
// address their account is given.
func Pseudonym(userID int64) (name, email string) {
	return fmt.Sprintf("Erased person %d", userID), fmt.Sprintf("erased-%d@%s", userID, erasedDomain)
}

// Erased reports whether the account with this email is what is left of an
// erased person: disabled for good, with nothing to change.
func Erased(email string) bool { return strings.HasSuffix(email, "@"+erasedDomain) }
