package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// BenchmarkImportJSON1000 imports a 1,000-trend canonical JSON library the
// way the web, the API and the command line do: parse, check everything,
// store as a new library in one transaction. The target is under
// 0.5 s on SQLite.
func BenchmarkImportJSON1000(b *testing.B) {
	data, err := library.Marshal(apptest.GeneratedContent(1000), library.FormatJSON)
	if err != nil {
		b.Fatal(err)
	}
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		svc := service.New(db, nil, nil)
		org := storetest.MustOrg(b, db, "bench")
		actor := domain.System(org.ID)
		b.SetBytes(int64(len(data)))
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			_, v, err := svc.Import(context.Background(), actor, fmt.Sprintf("bench-%d.json", i), data, library.FormatJSON, library.ParseOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if v.TrendCount != 1000 {
				b.Fatalf("imported %d trends", v.TrendCount)
			}
		}
	})
}
