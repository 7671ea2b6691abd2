package cli

import (
	"encoding/json"
	"fmt"

	"github.com/waymark/waymark/internal/domain"
)

func runOrg(e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: waymark org create --slug S --name N [--type T --country C --size small|medium|large]")
		return errUsage
	}
	fs := e.newFlags("org create", "org create --slug S --name N [--type T --country C --size B] [--json]")
	slug := fs.String("slug", "", "short name used in addresses: a-z, 0-9 and hyphens")
	name := fs.String("name", "", "the organisation's name")
	typ := fs.String("type", "other", "municipality, region, hospital_trust, police, fire_rescue, housing, voluntary, association or other")
	country := fs.String("country", "", "two-letter country code, e.g. SE or GB")
	size := fs.String("size", "", "size band: small, medium or large")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := e.required(fs, "slug", "name"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	o := &domain.Organisation{Slug: *slug, Name: *name, Type: domain.OrgType(*typ), Country: *country, SizeBand: domain.SizeBand(*size)}
	if err := m.Service.CreateOrg(e.ctx, o); err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]string{"id": o.ID, "slug": o.Slug, "name": o.Name})
	}
	fmt.Fprintf(e.stdout, "Created organisation %q (slug %s, id %s).\n", o.Name, o.Slug, o.ID)
	return nil
}
