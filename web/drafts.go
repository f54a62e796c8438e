package web

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/allydesk/ally"
)

// Never lose what was typed (issue 14): a report or reply posted after the
// session ended is kept server-side, as a single-use ticket bound to this
// browser's draftCookie, and the person is sent to sign in with next set
// to the form, where it is filled in again. Files are not kept.

// draftCookie names this browser's kept draft.
const draftCookie = "ally_draft"

// draftTTL is how long a kept draft waits for its writer to sign in.
const draftTTL = 2 * time.Hour

// maxDraft bounds the text kept.
const maxDraft = 64 << 10

// draftFields are the form fields a draft keeps; everything else (tokens,
// files) is left out.
func draftField(name string) bool { return name != "csrf_token" && name != "js" }

// draft is what is kept: the form's path and its text fields.
type draft struct {
	Path   string     `json:"path"`
	Values url.Values `json:"values"`
}

// keepingDraft wraps the handler of a form for signed-in people: a form
// posted by someone whose session has ended is kept, and they are sent to
// sign in and come back to form. JSON and other bodies are refused as ever.
func (s *Server) keepingDraft(form string, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ally.UserFromContext(r.Context()) != nil || s.SignIn == nil ||
			(mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data") {
			return h(w, r)
		}
		if err := parseForm(r); err != nil {
			return h(w, r)
		}
		d := draft{Path: localPath(expandPath(form, r)), Values: url.Values{}}
		size := 0
		for k, vs := range r.PostForm {
			if draftField(k) {
				d.Values[k] = vs
				for _, v := range vs {
					size += len(k) + len(v)
				}
			}
		}
		data, _ := json.Marshal(d)
		if size > maxDraft {
			return h(w, r)
		}
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		secret := base64.RawURLEncoding.EncodeToString(b)
		if err := s.SignIn.KeepDraft(r.Context(), secret, d.Path, string(data), draftTTL); err != nil {
			return err
		}
		http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: secret, Path: "/", HttpOnly: true,
			Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int(draftTTL.Seconds())})
		return redirect(w, r, "/login?done=kept&next="+url.QueryEscape(d.Path))
	}
}

// expandPath fills a form's path pattern ("/cases/{ref}") from r.
func expandPath(pattern string, r *http.Request) string {
	if pattern == "/cases/{ref}" {
		return "/cases/" + url.PathEscape(r.PathValue("ref"))
	}
	return pattern
}

// takeDraft returns the draft this browser kept for path, once, and forgets
// it; nil when there is none. A draft of another form stays for it.
func (s *Server) takeDraft(w http.ResponseWriter, r *http.Request, path string) url.Values {
	c, err := r.Cookie(draftCookie)
	if err != nil || s.SignIn == nil {
		return nil
	}
	t, err := s.SignIn.UseTicket(r.Context(), ally.TicketDraft, c.Value, path) // another form's is kept
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	var d draft
	if json.Unmarshal([]byte(t.Data), &d) != nil {
		return nil
	}
	return d.Values
}
