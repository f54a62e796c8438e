package web

import (
	"net/http"
	"time"

	"github.com/allydesk/ally"
)

// Notification settings (issue 13): a responder chooses how Ally's mail
// tells them of each event: at once, in a digest, or not at all.

// notifyPage shows one row per event with its three choices.
type notifyPage struct {
	chrome
	Rows  []notifyRow
	Every string // how often digests go out, in words
}

type notifyRow struct {
	Event, Label, Mode string
}

// notifyLabels say each event the way the page does.
var notifyLabels = map[string]string{
	ally.NotifyAssigned:      "A case is assigned to me",
	ally.NotifyReporterWrote: "A reporter writes on my case",
	ally.NotifyCritical:      "A critical case arrives",
}

// digestEvery is how often digests go out.
func (s *Server) digestEvery() time.Duration {
	if s.DigestEvery == 0 {
		return ally.DigestEvery
	}
	return s.DigestEvery
}

// notifyService is the server's NotifyService, or a clear answer when
// mail settings are not kept here.
func (s *Server) notifyService() (ally.NotifyService, error) {
	if s.Notify == nil {
		return nil, ally.Errorf(ally.ENOTFOUND, "Notification settings are not kept on this server.")
	}
	return s.Notify, nil
}

// notifySettings reads the caller's settings.
func (s *Server) notifySettings(r *http.Request) (ally.NotifySettings, error) {
	n, err := s.notifyService()
	if err != nil {
		return nil, err
	}
	return n.NotifySettings(r.Context())
}

func (s *Server) pageNotify(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	set, err := s.notifySettings(r)
	if err != nil {
		return err
	}
	p := notifyPage{chrome: chromeFor(r, "Notifications"), Every: ally.DigestWords(s.digestEvery())}
	for _, e := range ally.NotifyEvents {
		p.Rows = append(p.Rows, notifyRow{Event: e, Label: notifyLabels[e], Mode: set[e]})
	}
	return s.render(w, http.StatusOK, "notifications", p)
}

func (s *Server) postNotify(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	n, err := s.notifyService()
	if err != nil {
		return err
	}
	set := ally.NotifySettings{}
	for _, e := range ally.NotifyEvents {
		if v := r.PostFormValue(e); v != "" {
			set[e] = v
		}
	}
	if _, err := n.SetNotifySettings(r.Context(), set); err != nil {
		return err
	}
	return redirect(w, r, "/settings/notifications?done=notify")
}

func (s *Server) apiNotify(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	set, err := s.notifySettings(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, set)
	return nil
}

func (s *Server) apiSetNotify(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	n, err := s.notifyService()
	if err != nil {
		return err
	}
	var set ally.NotifySettings
	if err := decodeJSON(w, r, &set); err != nil {
		return err
	}
	if set, err = n.SetNotifySettings(r.Context(), set); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, set)
	return nil
}
