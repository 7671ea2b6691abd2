package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/loadtest"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// BenchmarkSaveAnswer measures one participant's PUT of one answer through
// the API's handler chain, called directly (no network), 64 requests at a
// time so that the group committer batches them as it does under load: "fast" is
// the handler as served, "operation" the documented huma operation alone,
// and "bare" a handler that answers 200 without reading the body, the
// baseline of the same run.
func BenchmarkSaveAnswer(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		svc := service.New(db, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		committer := store.NewAnswerCommitter(db, store.CommitterOptions{}) // as the server does
		defer committer.Close()
		svc.UseLive(nil, committer)
		fx, err := loadtest.Setup(ctx, svc, loadtest.WorkshopSpec{Trends: 10, Questions: 5, HideResults: true})
		if err != nil {
			b.Fatal(err)
		}
		w := fx.Workshop
		tokens := make([]string, 500)
		for i := range tokens {
			if tokens[i], _, _, err = svc.Join(ctx, w.Code, w.Groups[0].Key, ""); err != nil {
				b.Fatal(err)
			}
		}
		a := api.New(svc, nil)
		path := "/api/v1/workshops/" + w.ID + "/answers"
		bench := func(h http.Handler) func(b *testing.B) {
			return func(b *testing.B) {
				var next atomic.Int64
				before := committer.Stats()
				defer func() {
					after := committer.Stats()
					if tx := after.Transactions - before.Transactions; tx > 0 {
						b.ReportMetric(float64(after.Answers-before.Answers)/float64(tx), "answers/tx")
					}
				}()
				b.SetParallelism(32) // × GOMAXPROCS requests in flight
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						n := next.Add(1)
						q := w.Questions[n/10%5]
						body := fmt.Sprintf(`{"answers":[{"trend":%q,"question":%q,"value":%d}]}`,
							w.TrendKeys[n%10], q.Key, q.Min+int(n%int64(q.Max-q.Min+1)))
						req := httptest.NewRequestWithContext(ctx, http.MethodPut, path, strings.NewReader(body))
						req.Header.Set("Authorization", "Participant "+tokens[n%int64(len(tokens))])
						req.Header.Set("Content-Type", "application/json")
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%d %s", rec.Code, rec.Body)
						}
					}
				})
			}
		}
		b.Run("fast", bench(a.Handler()))
		b.Run("operation", bench(a.HandlerWithoutFastPath()))
		b.Run("bare", bench(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	})
}
