package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/allydesk/ally"
)

// maxJSONBody is the largest JSON request body accepted.
const maxJSONBody = 1 << 20

// decodeJSON reads one JSON object from the request into v, strictly:
// application/json only, at most 1 MiB, no unknown fields, no trailing data.
// Every failure is an *ally.Error naming what was wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return ally.Errorf(ally.EUNSUPPORTED, "Send the body as JSON with Content-Type: application/json.")
	}
	return decodeJSONBody(http.MaxBytesReader(w, r.Body, maxJSONBody), v)
}

// decodeJSONBody decodes strictly from rd; it is separate from decodeJSON so
// that it can be fuzzed without HTTP.
func decodeJSONBody(rd io.Reader, v any) error {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return ally.Errorf(ally.EINVALID, "body: send exactly one JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var (
		syn   *json.SyntaxError
		typ   *json.UnmarshalTypeError
		large *http.MaxBytesError
	)
	switch {
	case errors.As(err, &large):
		return ally.Errorf(ally.ETOOLARGE, "The body is larger than %d bytes.", maxJSONBody)
	case errors.As(err, &syn):
		return ally.Errorf(ally.EINVALID, "body: is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return ally.Errorf(ally.EINVALID, "body: must be a JSON object.")
		}
		return ally.Errorf(ally.EINVALID, "%s: must be %s, not %s.", typ.Field, typeName(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ally.Errorf(ally.EINVALID, "body: is empty or cut short; send a JSON object.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return ally.Errorf(ally.EINVALID, "%s: is not a known field.", strings.Trim(strings.TrimPrefix(err.Error(),
			"json: unknown field "), `"`))
	}
	var ae *ally.Error
	if errors.As(err, &ae) {
		return ae
	}
	return ally.Errorf(ally.EINVALID, "body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func typeName(kind string) string {
	switch kind {
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice":
		return "a list"
	case "ptr":
		return "a value of the right type"
	}
	return "a " + kind
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // answers are private to the caller
	buf := getBuf()
	defer putBuf(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	_ = writeBuffered(w, status, buf)
}

func fieldError(field, format string, args ...any) error {
	return ally.Errorf(ally.EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}
