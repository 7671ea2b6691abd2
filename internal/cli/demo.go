package cli

import (
	"fmt"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

func runDemo(e *env, args []string) error {
	fs := e.newFlags("demo", "demo")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	return demoSetup(e, m)
}

// demoSetup runs the demo install and says how to sign in.
func demoSetup(e *env, m *app.Main) error {
	res, err := m.Service.Demo(e.ctx, e.getenv("WAYMARK_DEMO_PASSWORD"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Demo organisation %q (slug %s) with %d starter libraries.\n", res.Org.Name, res.Org.Slug, len(res.Libraries))
	if res.Workshop != nil {
		fmt.Fprintf(e.stdout, "Demo workshop %q: join at /join with the code %s.\n", res.Workshop.Title, workshop.FormatCode(res.Workshop.Code))
	}
	switch {
	case res.Generated:
		fmt.Fprintf(e.stdout, "Sign in as %s with password %s\n", service.DemoEmail, res.Password)
	case res.Password != "":
		fmt.Fprintf(e.stdout, "Sign in as %s with the password from WAYMARK_DEMO_PASSWORD.\n", service.DemoEmail)
	default:
		fmt.Fprintf(e.stdout, "Sign in as %s with the password printed when it was created (set WAYMARK_DEMO_PASSWORD to reset it).\n", service.DemoEmail)
	}
	return nil
}
