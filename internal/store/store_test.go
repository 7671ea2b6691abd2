package store_test

import (
	"context"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// TestContract ensures the store keeps its contract (domain.Store and the
// doc comments in domain/store.go) on SQLite and on PostgreSQL.
func TestContract(t *testing.T) {
	storetest.RunEachEngine(t)
}

// BenchmarkCreateLibrary1000 measures storing a 1,000-trend library as one
// new library (the import path); the target on SQLite is well under 0.5 s.
func BenchmarkCreateLibrary1000(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		org := storetest.MustOrg(b, db, "bench")
		c := storetest.LargeContent(1000)
		ctx := context.Background()
		for b.Loop() {
			if _, err := db.CreateLibrary(ctx, &domain.Library{OrgID: org.ID}, c, domain.Published, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVersion1000 measures reading a 1,000-trend version with all its
// content.
func BenchmarkVersion1000(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		org := storetest.MustOrg(b, db, "bench")
		_, v := storetest.MustLibrary(b, db, org.ID, storetest.LargeContent(1000))
		ctx := context.Background()
		for b.Loop() {
			if _, err := db.Version(ctx, org.ID, v.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLibraries measures listing 50 libraries with their latest and
// published versions.
func BenchmarkLibraries(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		org := storetest.MustOrg(b, db, "bench")
		for range 50 {
			storetest.MustLibrary(b, db, org.ID, storetest.LargeContent(10))
		}
		ctx := context.Background()
		for b.Loop() {
			if _, err := db.Libraries(ctx, org.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
