package web

import (
	"net/http"
	"strings"

	"github.com/allydesk/ally"
)

// errNoLinks answers link routes on a server built without a link service.
var errNoLinks = ally.Errorf(ally.ENOTFOUND, "Linking cases is not available on this server.")

func (s *Server) apiLinkCases(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Links == nil {
		return errNoLinks
	}
	var in ally.NewLink
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	l, err := s.Links.LinkCases(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, l)
	return nil
}

func (s *Server) apiLinks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Links == nil {
		return errNoLinks
	}
	items, err := s.Links.Links(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

// linkedCase is a linked case on the case page, with its timeline for the
// merged view (the surviving case shows its duplicates' and related cases').
type linkedCase struct {
	*ally.Link
	Entries []*ally.Entry
}

// linkedCases loads the links of case ref and each linked case's timeline.
func (s *Server) linkedCases(r *http.Request, ref string) ([]linkedCase, error) {
	if s.Links == nil {
		return nil, nil
	}
	links, err := s.Links.Links(r.Context(), ref)
	if err != nil {
		return nil, err
	}
	out := make([]linkedCase, len(links))
	for i, l := range links {
		es, err := s.Cases.Timeline(r.Context(), l.Ref, 0, timelineLimit)
		if err != nil {
			return nil, err
		}
		out[i] = linkedCase{Link: l, Entries: es}
	}
	return out, nil
}

// postLink links the case from its page; a refused link comes back with
// the reference typed and the problem next to the field.
func (s *Server) postLink(w http.ResponseWriter, r *http.Request, u *ally.User) error {
	if s.Links == nil {
		return errNoLinks
	}
	in := ally.NewLink{Ref: strings.TrimSpace(r.PostFormValue("other")), Type: ally.LinkType(r.PostFormValue("type"))}
	ref := r.PathValue("ref")
	_, err := s.Links.LinkCases(r.Context(), ref, in)
	if formRefused(err) {
		problem := pageMessage(err)
		// An unknown case here fails again in caseRefused, as it should.
		return s.caseRefused(w, r, u, err, func(p *casePage) {
			p.LinkRef, p.LinkType, p.Errors = in.Ref, in.Type, map[string]string{"other": problem}
		})
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+ref+"?done=linked#links")
}
