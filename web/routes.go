package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/allydesk/ally"
)

// routes registers every route of the server, in groups by what a request
// needs before its handler runs:
//
//   - public: nothing (health checks, static files, sign-in, not found);
//   - signed in: a user, passed to the handler, so that no handler reads it
//     itself and none can be registered here without one;
//   - role: a signed-in user for whom a predicate of authz.go holds.
//
// Writes that create work are limited per user (userlimits.go): s.rated
// by a rate from limits.go, s.analysing to a few analyses at once.
//
// Every write, in every group, has passed the cross-origin check and the
// CSRF token check (csrf.go) and has its body limited before it gets here.
func (s *Server) routes() {
	// Public.
	s.public("GET /healthz", s.healthz)
	s.public("GET /readyz", s.readyz)
	s.public("GET /static/{name}", s.serveStatic)
	s.public("GET /login", maybeSignedIn(s.pageLogin))
	s.public("POST /login", s.postLogin)
	s.public("POST /logout", s.postLogout)
	// The ways in besides a password (issue 14): single sign-on (sso.go),
	// emailed sign-in links, "forgot password"; following a case reported
	// without signing in (ui_follow.go).
	s.public("GET /auth/oidc/start", s.getSSOStart)
	s.public("GET /auth/oidc/callback", s.getSSOCallback)
	s.public("GET /auth/oidc/{provider}/start", s.getSSOStart)
	s.public("GET /auth/oidc/{provider}/callback", s.getSSOCallback)
	s.public("POST /login/link", s.postLinkRequest)
	s.public("GET /login/link/{token}", s.pageSignInLink)
	s.public("POST /login/link/{token}", s.postSignInLink)
	s.public("GET /login/forgot", s.pageForgot)
	s.public("POST /login/forgot", s.postForgot)
	s.public("GET /login/reset/{token}", s.pageReset)
	s.public("POST /login/reset/{token}", s.postReset)
	s.public("GET /follow/{token}", s.getFollow)
	// The "was this you?" answer page: its signed link is the credential.
	s.public("GET /signals/{id}/{token}", s.pageSignal)
	s.public("POST /signals/{id}/{token}", s.postSignalAnswer)
	s.public("GET /api/v1/openapi.json", s.apiOpenAPI)
	s.public("/api/", s.apiNotFound)
	s.public("/", pageNotFound)

	// Operations for leads and admins (the scraper uses a lead's token;
	// --debug-addr serves the same without sign-in on its own listener).
	s.role(ally.CanReadMetrics, "Only leads and admins can read the metrics.", "GET /metrics", s.prometheus)

	// Pages for signed-in users. Every form posts and redirects
	// (POST/redirect/GET), so each page works without JavaScript.
	s.signedIn("GET /{$}", s.pageHome)
	s.public("GET /report", maybeSignedIn(s.pageReport)) // anyone, when anonymous reports are on (ui_follow.go)
	s.register("POST /report", accessPublic, maxForm, s.postReportBy(withUser(s.rated(s.cases,
		s.analysing(s.postReport)))))
	s.signedIn("GET /cases/{ref}", s.pageCase)
	s.signedIn("GET /cases/{ref}/sent", s.pageSent)
	s.register("POST /cases/{ref}/messages", accessSignedIn, maxBody, s.keepingDraft("/cases/{ref}",
		withUser(s.rated(s.messages, s.analysing(s.postMessage))))) // drafts.go: kept if signed out
	s.signedIn("POST /cases/{ref}/update", s.postUpdate)
	s.signedIn("POST /cases/{ref}/resolve", s.analysing(s.postResolve))
	s.signedIn("POST /cases/{ref}/links", s.postLink)
	s.signedIn("POST /cases/{ref}/tasks", s.postTasks)
	s.signedIn("POST /cases/{ref}/feedback", s.postFeedback)
	s.signedIn("POST /cases/{ref}/follow/revoke", s.postRevokeFollow)
	s.upload("POST /cases/{ref}/attachments", s.rated(s.uploads, s.analysing(s.postAttachment)))
	s.signedIn("POST /cases/{ref}/attachments/{id}/false-alarm", s.postFalseAlarm)
	s.signedIn("GET /campaigns", s.pageCampaigns)
	s.signedIn("GET /campaigns/{id}", s.pageCampaign)
	s.signedIn("POST /campaigns/{id}/decide", s.postCampaignDecision)
	s.signedIn("GET /queue", s.pageQueue)
	s.signedIn("POST /queue/bulk", s.postQueueBulk)
	s.signedIn("GET /events", s.pageEvents)
	s.signedIn("GET /admin/users", s.pageUsers)
	s.signedIn("POST /admin/users", s.postNewUser)
	s.signedIn("POST /admin/users/{email}", s.postUserUpdate)
	s.signedIn("POST /admin/users/{email}/password", s.postUserPassword)
	s.signedIn("GET /admin/data", s.pageData)
	s.signedIn("POST /admin/data/retention", s.postRetention)
	s.signedIn("GET /admin/data/export", s.getPersonData)
	s.signedIn("POST /admin/data/erase", s.postErasePerson)
	s.signedIn("POST /admin/departments", s.postDepartment)
	s.signedIn("GET /dashboard", s.pageDashboard)
	s.signedIn("GET /dashboard.csv", s.dashboardCSV)
	s.signedIn("GET /insights", s.pageInsights)
	s.signedIn("GET /lessons", s.pageLessons)
	s.signedIn("POST /lessons", s.postLesson)
	s.role(ally.CanTeachTone, errTeachTone, "GET /tone", s.pageTone)
	s.role(ally.CanTeachTone, errTeachTone, "POST /tone/{id}", s.postToneMark)
	s.signedIn("GET /practice", s.pagePractice)
	s.signedIn("POST /practice", s.postPractice)
	s.signedIn("GET /practice/{id}", s.pagePracticeSession)
	s.signedIn("POST /practice/{id}/say", s.postPracticeSay)
	s.signedIn("POST /practice/{id}/stop", s.postPracticeStop)
	s.role(ally.CanChooseNotifications, errNotify, "GET /settings/notifications", s.pageNotify)
	s.role(ally.CanChooseNotifications, errNotify, "POST /settings/notifications", s.postNotify)
	s.role(ally.CanChangeOwnPassword, errOwnPassword, "GET /account/password", s.pagePassword)
	s.role(ally.CanChangeOwnPassword, errOwnPassword, "POST /account/password", s.postPassword)
	s.role(ally.CanManageWebhooks, errWebhooks, "GET /admin/webhooks", s.pageWebhooks)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /admin/webhooks", s.postWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "GET /admin/webhooks/{id}", s.pageWebhookLog)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /admin/webhooks/{id}/{action}", s.postWebhookAction)

	// The JSON API for signed-in users (docs/api.md, web/openapi.json).
	s.signedIn("GET /api/v1/me", s.apiMe)
	s.signedIn("POST /api/v1/cases", s.rated(s.cases, s.apiCreateCase))
	s.signedIn("GET /api/v1/cases", s.apiListCases)
	s.signedIn("POST /api/v1/cases/bulk", s.apiBulkUpdate)
	s.signedIn("GET /api/v1/cases/{ref}", s.apiGetCase)
	s.signedIn("PATCH /api/v1/cases/{ref}", s.apiUpdateCase)
	s.signedIn("GET /api/v1/cases/{ref}/timeline", s.apiTimeline)
	s.signedIn("POST /api/v1/cases/{ref}/messages", s.rated(s.messages, s.analysing(s.apiAddMessage)))
	s.signedIn("POST /api/v1/cases/{ref}/feedback", s.apiFeedback)
	s.signedIn("GET /api/v1/cases/{ref}/tasks", s.apiTasks)
	s.signedIn("POST /api/v1/cases/{ref}/links", s.apiLinkCases)
	s.signedIn("GET /api/v1/cases/{ref}/links", s.apiLinks)
	s.signedIn("PATCH /api/v1/cases/{ref}/tasks/{id}", s.apiTickTask)
	s.upload("POST /api/v1/cases/{ref}/attachments", s.rated(s.uploads, s.analysing(s.apiUpload)))
	s.signedIn("GET /api/v1/cases/{ref}/attachments", s.apiAttachments)
	s.signedIn("GET /api/v1/cases/{ref}/attachments/{id}", s.apiDownload)
	s.signedIn("GET /api/v1/cases/{ref}/attachments/{id}/export", s.apiExport)
	s.signedIn("POST /api/v1/cases/{ref}/attachments/{id}/false-alarm", s.apiFalseAlarm)
	s.signedIn("GET /api/v1/campaigns", s.apiCampaigns)
	s.signedIn("GET /api/v1/campaigns/{id}", s.apiCampaign)
	s.signedIn("PATCH /api/v1/campaigns/{id}", s.apiDecideCampaign)
	s.signedIn("GET /api/v1/playbooks", s.apiPlaybooks)
	s.signedIn("POST /api/v1/tone/check", s.analysing(s.apiToneCheck))
	s.signedIn("GET /api/v1/users", s.apiListUsers)
	s.signedIn("POST /api/v1/users", s.apiCreateUser)
	s.signedIn("PATCH /api/v1/users/{email}", s.apiUpdateUser)
	s.signedIn("GET /api/v1/users/{email}/data", s.apiPersonData)
	s.signedIn("POST /api/v1/users/{email}/erase", s.apiErasePerson)
	s.signedIn("GET /api/v1/retention", s.apiRetention)
	s.signedIn("PUT /api/v1/retention", s.apiSetRetention)
	s.signedIn("GET /api/v1/departments", s.apiDepartments)
	s.signedIn("POST /api/v1/departments", s.apiAddDepartment)
	s.signedIn("GET /api/v1/audit", s.apiAudit)
	s.signedIn("GET /api/v1/metrics", s.apiMetrics)
	s.signedIn("GET /api/v1/insights", s.apiInsights)
	s.signedIn("GET /api/v1/lessons", s.apiLessons)
	s.signedIn("POST /api/v1/lessons", s.apiPublishLesson)
	s.role(ally.CanChooseNotifications, errNotify, "GET /api/v1/me/notifications", s.apiNotify)
	s.role(ally.CanChooseNotifications, errNotify, "PUT /api/v1/me/notifications", s.apiSetNotify)
	s.role(ally.CanChangeOwnPassword, errOwnPassword, "POST /api/v1/me/password", s.apiChangePassword)
	s.role(ally.CanManageMail, "Only admins can see the outbox.", "GET /api/v1/outbox", s.apiOutbox)

	// Signals in (integrations; CanSendSignals is checked by the store), and
	// webhook and chat subscriptions (admins).
	s.signedIn("GET /api/v1/signal-types", s.apiSignalTypes)
	s.signedIn("POST /api/v1/signals", s.apiSendSignal)
	s.signedIn("GET /api/v1/signals/{id}", s.apiGetSignal)
	s.signedIn("GET /api/v1/signal-stats", s.apiSignalStats)
	s.role(ally.CanManageWebhooks, errWebhooks, "GET /api/v1/webhooks", s.apiWebhooks)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /api/v1/webhooks", s.apiCreateWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "DELETE /api/v1/webhooks/{id}", s.apiDeleteWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /api/v1/webhooks/{id}/rotate", s.apiRotateWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /api/v1/webhooks/{id}/enable", s.apiEnableWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "POST /api/v1/webhooks/{id}/test", s.apiTestWebhook)
	s.role(ally.CanManageWebhooks, errWebhooks, "GET /api/v1/webhooks/{id}/deliveries", s.apiWebhookDeliveries)
}

// Refusals of role routes shared by several routes.
const (
	errNotify   = "Only responders get notification emails, so only they can choose how."
	errWebhooks = "Only admins can manage webhooks."
)

// access is the group a route is registered in.
type access int

const (
	accessPublic access = iota
	accessSignedIn
	accessRole
)

// route is one registered route, kept so that tests can walk them all.
type route struct {
	pattern string
	access  access
}

// userFunc is a handler for a signed-in user.
type userFunc func(w http.ResponseWriter, r *http.Request, u *ally.User) error

// public registers a route that needs no sign-in.
func (s *Server) public(pattern string, h handlerFunc) {
	s.register(pattern, accessPublic, maxBody, h)
}

// signedIn registers a route for signed-in users.
func (s *Server) signedIn(pattern string, h userFunc) {
	s.register(pattern, accessSignedIn, maxBody, withUser(h))
}

// upload registers a route for signed-in users that takes a file, and so
// a larger body.
func (s *Server) upload(pattern string, h userFunc) {
	s.register(pattern, accessSignedIn, maxForm, withUser(h))
}

// role registers a route for signed-in users for whom may holds; anyone
// else is told why not.
func (s *Server) role(may func(*ally.User) bool, why, pattern string, h userFunc) {
	s.register(pattern, accessRole, maxBody, withUser(func(w http.ResponseWriter, r *http.Request, u *ally.User) error {
		if !may(u) {
			return ally.Errorf(ally.EFORBIDDEN, "%s", why)
		}
		return h(w, r, u)
	}))
}

// withUser passes the signed-in user to h; anyone else is refused as
// unauthorised (pages send them to sign in, and back afterwards).
func withUser(h userFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := ally.UserFromContext(r.Context())
		if u == nil {
			return errSignIn
		}
		return h(w, r, u)
	}
}

// maybeSignedIn passes the signed-in user to h, or nil for a visitor (the
// sign-in page sends a signed-in user on).
func maybeSignedIn(h userFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h(w, r, ally.UserFromContext(r.Context()))
	}
}

// errSignIn answers a request that needs a signed-in user and has none.
var errSignIn = ally.Errorf(ally.EUNAUTHORIZED, "Sign in first: send a bearer token or use the sign-in page.")

// register adds a route: its writes get a body limit and the CSRF token
// check before h runs; an API request's query must be well formed.
func (s *Server) register(pattern string, a access, limit int64, h handlerFunc) {
	s.routeList = append(s.routeList, route{pattern: pattern, access: a})
	s.mux.Handle(pattern, s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		if err := wellFormedQuery(r); err != nil {
			return err
		}
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := checkCSRFToken(r, limit); err != nil {
				return err
			}
		}
		return h(w, r)
	}))
}

// apiNotFound answers a request that no API route takes: 405 with Allow
// when its path is routed for other methods, else 404.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	if allow := s.allowedMethods(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return ally.Errorf(ally.EMETHOD, "%s takes %s, not %s; see docs/api.md.",
			r.URL.Path, strings.Join(allow, " or "), r.Method)
	}
	return ally.Errorf(ally.ENOTFOUND, "There is no %s %s in this API; see docs/api.md.", r.Method, r.URL.Path)
}

// allowedMethods lists the methods that some route other than the API's
// catch-all takes on r's path.
func (s *Server) allowedMethods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		other := *r
		other.Method = m
		if _, pattern := s.mux.Handler(&other); m != r.Method && pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

func pageNotFound(w http.ResponseWriter, r *http.Request) error {
	return ally.Errorf(ally.ENOTFOUND, "We could not find that page. It may have moved.")
}

// wellFormedQuery refuses an API request whose query cannot be parsed (a
// bad %-escape, a semicolon): Go drops such a pair without a word, so
// cursor=%zz read as no cursor at all and answered the first page again.
func wellFormedQuery(r *http.Request) error {
	if !wantsJSON(r) || r.URL.RawQuery == "" {
		return nil
	}
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		return ally.Errorf(ally.EINVALID, "query: is not well formed (%v); percent-encode each name and value "+
			"(%% as %%25, ; as %%3B) and separate them with &.", err)
	}
	return nil
}
