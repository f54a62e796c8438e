package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/allydesk/ally"
)

// webhooksPage lists subscriptions with the add form.
type webhooksPage struct {
	chrome
	Hooks   []hookRow
	Events  []eventOption
	Formats []string
	New     ally.NewWebhook // the add form's values
	Created *ally.Webhook   // just added: its secret is shown once
	Error   string
}

func (s *Server) webhooksPage(r *http.Request) (*webhooksPage, error) {
	if s.Webhooks == nil {
		return nil, errSignalsOff
	}
	hooks, err := s.Webhooks.FindWebhooks(r.Context())
	if err != nil {
		return nil, err
	}
	p := &webhooksPage{chrome: chromeFor(r, "Webhooks and chat"), Formats: ally.Formats,
		New: ally.NewWebhook{Format: ally.FormatStandard}}
	p.fill(hooks)
	return p, nil
}

func (s *Server) pageWebhooks(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	p, err := s.webhooksPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "webhooks", p)
}

// postWebhook adds a subscription; the answer page shows its secret once,
// which is why this post is not redirected.
func (s *Server) postWebhook(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	p, err := s.webhooksPage(r)
	if err != nil {
		return err
	}
	n := ally.NewWebhook{URL: r.PostFormValue("url"), Format: r.PostFormValue("format"), Events: r.PostForm["events"],
		IncludePersonal: r.PostFormValue("include_personal") == "1"}
	form := n
	created, err := s.Webhooks.CreateWebhook(r.Context(), &n)
	status := http.StatusOK
	switch {
	case ally.ErrorCode(err) == ally.EINVALID:
		p.New, p.Error, status = form, pageMessage(err), http.StatusBadRequest
	case err != nil:
		return err
	default:
		p.Created = created
	}
	hooks, err := s.Webhooks.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	p.fill(hooks)
	return s.render(w, status, "webhooks", p)
}

// hookRow is a subscription with the buttons it offers.
type hookRow struct {
	*ally.Webhook
	Actions []string
}

// eventOption is one event's box on the add form.
type eventOption struct {
	Name    string
	Checked bool
}

// fill sets the list and the form's boxes.
func (p *webhooksPage) fill(hooks []*ally.Webhook) {
	p.Hooks = nil
	for _, h := range hooks {
		row := hookRow{Webhook: h, Actions: []string{"test", "rotate", "remove"}}
		if h.Disabled != "" {
			row.Actions = []string{"enable", "remove"}
		}
		p.Hooks = append(p.Hooks, row)
	}
	p.Events = nil
	for _, e := range ally.Events {
		p.Events = append(p.Events, eventOption{Name: e, Checked: slices.Contains(p.New.Events, e)})
	}
}

// webhookActions are the buttons on each subscription.
var webhookActions = []string{"test", "rotate", "enable", "remove"}

func (s *Server) postWebhookAction(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Webhooks == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if !slices.Contains(webhookActions, action) {
		return ally.Errorf(ally.ENOTFOUND, "There is no such action on a webhook.")
	}
	switch action {
	case "test":
		_, err = s.Webhooks.TestWebhook(r.Context(), id)
	case "enable":
		_, err = s.Webhooks.EnableWebhook(r.Context(), id)
	case "remove":
		err = s.Webhooks.DeleteWebhook(r.Context(), id)
	case "rotate":
		hook, err := s.Webhooks.RotateWebhookSecret(r.Context(), id, 24*time.Hour)
		if err != nil {
			return err
		}
		p, err := s.webhooksPage(r)
		if err != nil {
			return err
		}
		p.Created = hook
		return s.render(w, http.StatusOK, "webhooks", p)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/webhooks?done=webhook")
}

// webhookLogPage is one subscription's delivery log.
type webhookLogPage struct {
	chrome
	ID         int64
	Deliveries []*ally.WebhookDelivery
	Pages      pager
}

func (s *Server) pageWebhookLog(w http.ResponseWriter, r *http.Request, _ *ally.User) error {
	if s.Webhooks == nil {
		return errSignalsOff
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	before, err := beforeCursorOr(r, "before")
	if err != nil {
		return ally.Errorf(ally.EINVALID, "That link to older deliveries is not right. Start again from the webhook's page.")
	}
	ds, err := s.Webhooks.WebhookDeliveries(r.Context(), id, before, 50)
	if err != nil {
		return err
	}
	p := webhookLogPage{chrome: chromeFor(r, "Deliveries"), ID: id, Deliveries: ds}
	next := ""
	if len(ds) == 50 {
		next = strconv.FormatInt(ds[49].ID, 10)
	}
	p.Pages = newPager(r, "/admin/webhooks/"+strconv.FormatInt(id, 10), next, deliveryWords)
	return s.render(w, http.StatusOK, "webhook_log", p)
}
