package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/allydesk/ally"
)

//go:embed static
var staticFS embed.FS

// staticFile is one embedded asset with its content hash.
type staticFile struct {
	body []byte
	hash string
	typ  string
}

// assets are the embedded static files by name, hashed once at start-up.
var assets = loadAssets(staticFS)

func loadAssets(fsys fs.FS) map[string]staticFile {
	out := map[string]staticFile{}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path.Base(p)] = staticFile{body: b, hash: hex.EncodeToString(sum[:6]),
			typ: mime.TypeByExtension(path.Ext(p))}
		return nil
	})
	if err != nil {
		panic("web: reading static files: " + err.Error())
	}
	return out
}

// assetURL returns the versioned URL of a static file; the version changes
// whenever the file does, so it can be cached for a year.
func assetURL(name string) string {
	f, ok := assets[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.hash
}

// serveStatic serves an embedded asset. A request carrying the current
// version is cacheable forever; any other is revalidated.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	f, ok := assets[r.PathValue("name")]
	if !ok {
		return ally.Errorf(ally.ENOTFOUND, "There is no such file.")
	}
	h := w.Header()
	h.Set("Content-Type", f.typ)
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err := w.Write(f.body)
	return err
}
