package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/allydesk/ally"
)

// readUpload reads the multipart field "file" of a request.
func readUpload(w http.ResponseWriter, r *http.Request) (ally.NewAttachment, error) {
	var a ally.NewAttachment
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return a, ally.Errorf(ally.EUNSUPPORTED, "Send the file as multipart/form-data in a field named file.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	f, h, err := r.FormFile("file")
	var large *http.MaxBytesError
	switch {
	case errors.As(err, &large):
		return a, ally.Errorf(ally.ETOOLARGE, "file: is larger than %d MB.", ally.MaxAttachment>>20)
	case errors.Is(err, http.ErrMissingFile):
		return a, ally.Errorf(ally.EINVALID, "file: is missing; send the file in a field named file.")
	case err != nil:
		return a, ally.Errorf(ally.EINVALID, "file: could not be read (%v).", err)
	}
	defer f.Close()
	a.Name, a.ContentType = h.Filename, h.Header.Get("Content-Type")
	if a.Data, err = io.ReadAll(io.LimitReader(f, ally.MaxAttachment+1)); err != nil {
		return a, ally.Errorf(ally.EINVALID, "file: could not be read.")
	}
	return a, nil
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	in, err := readUpload(w, r)
	if err != nil {
		return err
	}
	a, err := s.Attachments.AddAttachment(r.Context(), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) apiAttachments(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	items, err := s.Attachments.Attachments(r.Context(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeList(w, items)
	return nil
}

// pathID reads a numeric id from the path; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, ally.Errorf(ally.ENOTFOUND, "Nothing was found at this address (%q is not a number we know).",
			r.PathValue(name))
	}
	return id, nil
}

// apiDownload serves a file as a download, never inline: whatever it holds
// (HTML, scripts), the browser only saves it.
func (s *Server) apiDownload(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, data, err := s.Attachments.AttachmentData(r.Context(), r.PathValue("ref"), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(data)
	return err
}

// apiExport exports an analysed email's indicators for other tools.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := s.Attachments.ExportIndicators(r.Context(), r.PathValue("ref"), id, r.URL.Query().Get("format"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", out.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(out.Data)
	return err
}
