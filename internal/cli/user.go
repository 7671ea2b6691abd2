package cli

import (
	"encoding/json"
	"fmt"

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
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: waymark token create --org S --email E [--name N]")
		return errUsage
	}
	fs := e.newFlags("token create", "token create --org S --email E [--name N]")
	orgSlug := fs.String("org", "", "slug of the organisation the token acts in")
	email := fs.String("email", "", "the member whose token it is")
	name := fs.String("name", "", "what the token is for")
	if _, err := parse(fs, args[1:]); err != nil {
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
	_, org, err := orgActor(e, m, *orgSlug)
	if err != nil {
		return err
	}
	addr, _ := domain.NormalizeEmail(*email)
	u, err := m.DB.UserByEmail(e.ctx, addr)
	if err != nil {
		if domain.IsNotFound(err) {
			return fmt.Errorf("no user %s", addr)
		}
		return err
	}
	mem, err := m.DB.Membership(e.ctx, org.ID, u.ID)
	if err != nil {
		if domain.IsNotFound(err) {
			return fmt.Errorf("%s is not a member of %s", addr, org.Slug)
		}
		return err
	}
	secret, _, err := m.Service.CreateAPIToken(e.ctx, domain.Actor{UserID: u.ID, OrgID: org.ID, Role: mem.Role}, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "This token acts as %s (%s) in %s. It is shown only once: keep it safe.\n", u.Email, mem.Role, org.Slug)
	return nil
}
