package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

func runUser(e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: waymark user create --email E --org S --role owner|facilitator|analyst|viewer [--password P] [--name N]")
		return errUsage
	}
	fs := e.newFlags("user create", "user create --email E --org S --role owner|facilitator|analyst|viewer [--password P] [--name N]")
	email := fs.String("email", "", "the person's email address")
	orgSlug := fs.String("org", "", "slug of the organisation to add them to")
	role := fs.String("role", "", "owner, facilitator, analyst or viewer")
	password := fs.String("password", "", "password for a new account (generated and printed when empty)")
	name := fs.String("name", "", "display name (default: the part of the address before @)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := e.required(fs, "email", "org", "role"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, org, err := orgActor(e, m, *orgSlug)
	if err != nil {
		return err
	}
	addr, _ := domain.NormalizeEmail(*email)
	u, err := m.DB.UserByEmail(e.ctx, addr)
	created, generated := false, ""
	if domain.IsNotFound(err) {
		pw := *password
		if pw == "" {
			pw = service.GeneratePassword()
			generated = pw
		}
		if u, err = m.Service.CreateUser(e.ctx, service.NewUser{Email: *email, DisplayName: *name, Password: pw}); err != nil {
			return err
		}
		created = true
	} else if err != nil {
		return err
	} else if *password != "" {
		return fmt.Errorf("%s already has an account; its password was not changed", addr)
	}
	if err := m.Service.SetMember(e.ctx, actor, u.ID, domain.Role(*role)); err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{"id": u.ID, "email": u.Email, "org": org.Slug, "role": *role, "created": created, "password": generated})
	}
	if created {
		fmt.Fprintf(e.stdout, "Created %s as %s of %s.\n", u.Email, *role, org.Name)
	} else {
		fmt.Fprintf(e.stdout, "%s is now %s of %s.\n", u.Email, *role, org.Name)
	}
	if generated != "" {
		fmt.Fprintf(e.stdout, "Password: %s\n", generated)
	}
	return nil
}

func runToken(e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runTokenCreate(e, args[1:])
		case "list":
			return runTokenList(e, args[1:])
		case "revoke":
			return runTokenRevoke(e, args[1:])
		}
	}
	fmt.Fprintln(e.stderr, "Usage:\n  waymark token create --org S --email E [--name N]\n  waymark token list --org S --email E\n  waymark token revoke ID --org S --email E")
	return errUsage
}

// tokenOwner finds the member whose tokens a token command handles.
func tokenOwner(e *env, m *app.Main, orgSlug, email string) (domain.Actor, *domain.User, error) {
	_, org, err := orgActor(e, m, orgSlug)
	if err != nil {
		return domain.Actor{}, nil, err
	}
	addr, _ := domain.NormalizeEmail(email)
	u, err := m.DB.UserByEmail(e.ctx, addr)
	if err != nil {
		if domain.IsNotFound(err) {
			return domain.Actor{}, nil, fmt.Errorf("no user %s", addr)
		}
		return domain.Actor{}, nil, err
	}
	mem, err := m.DB.Membership(e.ctx, org.ID, u.ID)
	if err != nil {
		if domain.IsNotFound(err) {
			return domain.Actor{}, nil, fmt.Errorf("%s is not a member of %s", addr, org.Slug)
		}
		return domain.Actor{}, nil, err
	}
	return domain.Actor{UserID: u.ID, OrgID: org.ID, Role: mem.Role}, u, nil
}

func runTokenCreate(e *env, args []string) error {
	fs := e.newFlags("token create", "token create --org S --email E [--name N]")
	orgSlug := fs.String("org", "", "slug of the organisation the token acts in")
	email := fs.String("email", "", "the member whose token it is")
	name := fs.String("name", "", "what the token is for")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := e.required(fs, "org", "email"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, u, err := tokenOwner(e, m, *orgSlug, *email)
	if err != nil {
		return err
	}
	secret, t, err := m.Service.CreateAPIToken(e.ctx, actor, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "Token %s acts as %s (%s) in %s. It is shown only once: keep it safe.\n", t.ID, u.Email, actor.Role, *orgSlug)
	return nil
}

func runTokenList(e *env, args []string) error {
	fs := e.newFlags("token list", "token list --org S --email E")
	orgSlug := fs.String("org", "", "slug of the organisation")
	email := fs.String("email", "", "the member whose tokens to list")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := e.required(fs, "org", "email"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, _, err := tokenOwner(e, m, *orgSlug, *email)
	if err != nil {
		return err
	}
	ts, err := m.DB.APITokens(e.ctx, actor.OrgID, actor.UserID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCREATED\tLAST USED\tSTATE")
	for _, t := range ts {
		used, state := "never", "active"
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Format("2006-01-02")
		}
		if t.RevokedAt != nil {
			state = "revoked " + t.RevokedAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format("2006-01-02"), used, state)
	}
	return tw.Flush()
}

func runTokenRevoke(e *env, args []string) error {
	fs := e.newFlags("token revoke", "token revoke ID --org S --email E")
	orgSlug := fs.String("org", "", "slug of the organisation")
	email := fs.String("email", "", "the member whose token it is")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "waymark token revoke: give exactly one token ID (see 'waymark token list')")
		return errUsage
	}
	if err := e.required(fs, "org", "email"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, _, err := tokenOwner(e, m, *orgSlug, *email)
	if err != nil {
		return err
	}
	if err := m.Service.RevokeAPIToken(e.ctx, actor, pos[0]); err != nil {
		if domain.IsNotFound(err) {
			return fmt.Errorf("%s has no token %s in %s", *email, pos[0], *orgSlug)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Revoked token %s.\n", pos[0])
	return nil
}
