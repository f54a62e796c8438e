package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 document of /api/v1, kept by hand beside the
// routes; TestOpenAPI fails when a route, path parameter or status of the
// router is missing from it, or an API test's response does not match it.
//
//go:embed openapi.json
var openAPI []byte

// apiOpenAPI serves the OpenAPI document; it is public, as the API's shape
// is no secret.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := w.Write(openAPI)
	return err
}
