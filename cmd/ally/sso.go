package main

import (
	"fmt"
	"os"

	"github.com/allydesk/ally"
	"github.com/allydesk/ally/store"
	"github.com/allydesk/ally/web"
	"github.com/spf13/cobra"
)

// signInFlags are ally serve's ways in besides passwords: single sign-on
// providers and the security desk's number for "Can't sign in?".
type signInFlags struct {
	issuer, clientID, secret, groups, roles string
	department                              string
	label                                   string
	only, trustEmail                        bool
	file                                    string
	deskPhone, deskText                     string
	anonymous                               bool
}

func (f *signInFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.issuer, "oidc-issuer", os.Getenv("ALLY_OIDC_ISSUER"),
		"single sign-on: the OpenID Provider's issuer URL (env ALLY_OIDC_ISSUER); needs --public-url")
	fl.StringVar(&f.label, "oidc-label", envOr("ALLY_OIDC_LABEL", "your organisation's account"),
		`single sign-on: the provider's name on the button "Sign in with …" (env ALLY_OIDC_LABEL)`)
	fl.StringVar(&f.clientID, "oidc-client-id", os.Getenv("ALLY_OIDC_CLIENT_ID"),
		"single sign-on: Ally's client id at the provider (env ALLY_OIDC_CLIENT_ID)")
	fl.StringVar(&f.secret, "oidc-client-secret", os.Getenv("ALLY_OIDC_CLIENT_SECRET"),
		"single sign-on: Ally's client secret (env ALLY_OIDC_CLIENT_SECRET)")
	fl.StringVar(&f.groups, "oidc-groups-claim", envOr("ALLY_OIDC_GROUPS_CLAIM", "groups"),
		"single sign-on: the ID token claim that lists a person's groups (env ALLY_OIDC_GROUPS_CLAIM)")
	fl.StringVar(&f.department, "oidc-department-claim", os.Getenv("ALLY_OIDC_DEPARTMENT_CLAIM"),
		"single sign-on: the ID token claim naming a person's department, set at every sign-in and added to "+
			"the department list; unset leaves departments to Ally's admins (env ALLY_OIDC_DEPARTMENT_CLAIM)")
	fl.StringVar(&f.roles, "oidc-roles", os.Getenv("ALLY_OIDC_ROLES"),
		`single sign-on: roles by group, set at every sign-in, e.g. "security-team=responder,soc-leads=lead"; `+
			"unset leaves roles to Ally's admins (env ALLY_OIDC_ROLES)")
	fl.BoolVar(&f.trustEmail, "oidc-trust-email", os.Getenv("ALLY_OIDC_TRUST_EMAIL") == "1",
		"single sign-on: treat the provider's emails as verified, to link existing accounts, for providers "+
			"that send no email_verified claim such as Microsoft Entra ID (env ALLY_OIDC_TRUST_EMAIL=1)")
	fl.BoolVar(&f.only, "sso-only", os.Getenv("ALLY_SSO_ONLY") == "1",
		"sign in only by single sign-on: no passwords or emailed links on the web (the CLI still works; "+
			"env ALLY_SSO_ONLY=1)")
	fl.StringVar(&f.file, "sso-config", os.Getenv("ALLY_SSO_CONFIG"),
		"single sign-on: a YAML file of several providers (see README; env ALLY_SSO_CONFIG)")
	fl.BoolVar(&f.anonymous, "anonymous-reports", os.Getenv("ALLY_ANONYMOUS_REPORTS") != "0",
		`offer "Report without signing in" (on by default; --anonymous-reports=false or env `+
			"ALLY_ANONYMOUS_REPORTS=0 turns it off)")
	fl.StringVar(&f.deskPhone, "desk-phone", os.Getenv("ALLY_DESK_PHONE"),
		`the security desk's phone number, shown under "Can't sign in?" and to reporters of a critical case `+
			"(env ALLY_DESK_PHONE)")
	fl.StringVar(&f.deskText, "desk-text", envOr("ALLY_DESK_TEXT", "Call the security desk, day or night:"),
		"the words before the desk's number (env ALLY_DESK_TEXT)")
}

// providers reads the single sign-on flags; publicURL must be set with any.
func (f *signInFlags) providers(publicURL string) ([]web.SSOProvider, error) {
	var out []web.SSOProvider
	if f.file != "" {
		b, err := os.ReadFile(f.file)
		if err != nil {
			return nil, usageError("--sso-config: %v", err)
		}
		if out, err = web.ParseSSOConfig(b); err != nil {
			return nil, usageError("--sso-config %s: %v", f.file, err)
		}
	}
	if f.issuer != "" || f.clientID != "" {
		p := web.SSOProvider{Label: f.label, Issuer: f.issuer, ClientID: f.clientID,
			ClientSecret: f.secret, GroupsClaim: f.groups, TrustEmail: f.trustEmail,
			DepartmentClaim: f.department}
		if err := web.CheckSSOProvider(p); err != nil {
			return nil, usageError("--oidc-issuer/--oidc-client-id: %v", err)
		}
		if f.roles != "" {
			roles, err := ally.ParseRoleMap(f.roles)
			if err != nil {
				return nil, usageError("--oidc-roles: %s", ally.ErrorMessage(err))
			}
			p.Roles = roles
		}
		out = append([]web.SSOProvider{p}, out...)
	}
	switch {
	case len(out) > 0 && publicURL == "":
		return nil, usageError("single sign-on needs --public-url: the provider sends people back to " +
			"{public-url}/auth/oidc/callback")
	case f.only && len(out) == 0:
		return nil, usageError("--sso-only needs a provider: set --oidc-issuer and --oidc-client-id, or --sso-config")
	}
	return out, nil
}

// newUserResetPasswordCmd gives an account a new one-time password: the
// break-glass way in, also with --sso-only.
func newUserResetPasswordCmd() *cobra.Command {
	var db dbFlags
	c := &cobra.Command{
		Use:   "reset-password EMAIL",
		Short: "Give an account a new password, shown once (ends its sessions)",
		Long: `Give an account a new generated password, printed once. Every browser
session of the account ends. Works with --sso-only too: the break-glass way in.`,
		Example: "  ally user reset-password ada@example.com",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw := generatePassword()
			return db.with(cmd, func(d *store.DB) error {
				if err := d.SetPassword(cmd.Context(), args[0], pw); err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "New password for %s (shown once): %s\n", args[0], pw)
				return nil
			})
		},
	}
	db.register(c)
	return c
}
