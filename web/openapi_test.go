package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/allydesk/ally"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// openAPIDoc loads and validates web/openapi.json once.
var openAPIDoc = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

// openAPIRouter finds a request's operation in the document.
var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openAPIDoc()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// TestOpenAPICoversTheRouter walks the router's /api/v1 routes: each must be
// in the document with its path parameters and the statuses its group and
// shape can answer; and each operation of the document must be a route.
func TestOpenAPICoversTheRouter(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatalf("web/openapi.json is not a valid OpenAPI document: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	srv := New(Config{})
	routed := map[string]bool{}
	for _, rt := range srv.routeList {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if ok {
			routed[method+" "+path] = true
		}
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is routed but not in web/openapi.json", rt.pattern)
			continue
		}
		o := item.GetOperation(method)
		var want, got []string
		for _, p := range pathParam.FindAllString(path, -1) {
			want = append(want, strings.Trim(p, "{}"))
		}
		for _, p := range append(item.Parameters, o.Parameters...) {
			if p.Value.In == "path" {
				got = append(got, p.Value.Name)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: path parameters %v in web/openapi.json, %v in the route", rt.pattern, got, want)
		}
		var statuses []string
		if rt.access != accessPublic {
			statuses = append(statuses, "401", "403", "500")
		}
		if len(want) > 0 {
			statuses = append(statuses, "404")
		}
		if unsafeMethod(method) {
			statuses = append(statuses, "400", "413", "415")
		}
		for _, p := range o.Parameters {
			if p.Value.In == "query" && !slices.Contains(statuses, "400") {
				statuses = append(statuses, "400") // a bad query parameter
			}
		}
		for _, code := range statuses {
			if o.Responses.Value(code) == nil {
				t.Errorf("%s: status %s is missing from web/openapi.json", rt.pattern, code)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !routed[method+" "+path] {
				t.Errorf("web/openapi.json has %s %s, which is not routed", method, path)
			}
		}
	}
	if len(routed) < 60 {
		t.Errorf("only %d routes found", len(routed))
	}
}

// checkOpenAPI validates a recorded API response against the document: its
// request's query parameters and its status must be documented for the
// operation and its body must match.
// Responses outside /api/ (pages, /metrics) are not the API's.
func checkOpenAPI(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return
	}
	router, err := openAPIRouter()
	if err != nil {
		t.Fatalf("web/openapi.json: %v", err)
	}
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	route, params, err := router.FindRoute(r)
	if err != nil {
		t.Errorf("%s %s is not in web/openapi.json: %v", req.Method, req.URL.Path, err)
		return
	}
	for name := range r.URL.Query() {
		documented := false
		for _, p := range append(route.PathItem.Parameters, route.Operation.Parameters...) {
			documented = documented || (p.Value.In == "query" && p.Value.Name == name)
		}
		if !documented {
			t.Errorf("%s %s: query parameter %q is not in web/openapi.json", req.Method, route.Path, name)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, not as web/openapi.json says:\n%v\nbody: %.300s", req.Method, req.URL.Path, status, err, body)
	}
}

// TestOpenAPIServed: the document is served, without sign-in, as stored.
func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t)
	res, err := http.Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" || !bytes.Equal(raw, openAPI) {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestOpenAPIListsArePages checks that every list the API answers has the
// one shape of ally.Page (items and next_cursor, both required), and that
// every limit parameter allows what the handlers allow, ally.MaxLimit; a
// list added later in another shape fails here.
func TestOpenAPIListsArePages(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	lists := 0
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			for _, p := range o.Parameters {
				if p.Value.Name == "limit" && (p.Value.Schema.Value.Max == nil ||
					*p.Value.Schema.Value.Max != ally.MaxLimit) {
					t.Errorf("%s %s: limit's maximum is not %d (ally.MaxLimit)", method, path, ally.MaxLimit)
				}
			}
			for code, r := range o.Responses.Map() {
				mt := r.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value.Properties["items"] == nil {
					continue
				}
				lists++
				s := mt.Schema.Value
				if s.Properties["next_cursor"] == nil || !slices.Contains(s.Required, "items") ||
					!slices.Contains(s.Required, "next_cursor") {
					t.Errorf("%s %s answers %s with a list that is not an ally.Page (items and next_cursor)",
						method, path, code)
				}
			}
		}
	}
	if lists < 15 {
		t.Fatalf("found only %d lists in web/openapi.json", lists)
	}
}
