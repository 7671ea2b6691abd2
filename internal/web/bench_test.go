package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// BenchmarkLibraryPage100 measures the server time of a signed-in library
// page with 100 trends (session lookup, membership check, loading the
// version, filtering, rendering), calling the handler directly so no
// network time is counted. The target is under 10 ms. For scale,
// BenchmarkLibraryPage100/bare measures a handler that only writes the
// same bytes, in the same run.
func BenchmarkLibraryPage100(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		env := apptest.Start(b, db)
		org := env.Org("bench")
		u := env.User("owner@bench.example", org, domain.Owner)
		lib, _ := storetest.MustLibrary(b, db, org.ID, apptest.GeneratedContent(100))
		_ = u
		c := env.SignedIn("owner@bench.example")
		h := env.Main.Web.Handler()
		path := "/o/bench/libraries/" + lib.ID
		req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(context.Background())
		req.AddCookie(&http.Cookie{Name: "waymark_session", Value: c.Cookie("waymark_session")})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		page := rec.Body.Bytes()
		b.Run("page", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
		b.Run("bare", func(b *testing.B) {
			bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(page) })
			for b.Loop() {
				bare.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	})
}
