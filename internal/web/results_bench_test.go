package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// bigWorkshop stores a closed workshop of 2,000 participants in five
// groups who answered 30 trends × 5 questions (300,000 answers), placed
// five fields of tension and wrote 60 ideas, and returns its id.
func bigWorkshop(b *testing.B, db *store.DB, orgID string) string {
	b.Helper()
	ctx := context.Background()
	lib, v := storetest.MustLibrary(b, db, orgID, apptest.GeneratedContent(30))
	_ = lib
	ver, err := db.Version(ctx, orgID, v.ID)
	if err != nil {
		b.Fatal(err)
	}
	w := &domain.Workshop{OrgID: orgID, LibraryID: lib.ID, VersionID: v.ID, Title: "Budget round 2027", Questions: domain.DefaultQuestions(),
		Groups: domain.DefaultGroups(), Mode: domain.Live, Language: "en", Anonymous: true, Dots: 5, Phase: domain.PhaseDraft, Code: "BIGBENCH"}
	for _, t := range ver.Trends {
		w.TrendKeys = append(w.TrendKeys, t.Key)
	}
	for _, t := range ver.Tensions {
		w.Tensions = append(w.Tensions, t.Key)
	}
	if err := db.CreateWorkshop(ctx, w); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var answers []domain.Answer
	flush := func() {
		if err := db.SaveAnswers(ctx, answers); err != nil {
			b.Fatal(err)
		}
		answers = answers[:0]
	}
	now := time.Now()
	var first []*domain.Participant
	for i := range 2000 {
		p := storetest.MustParticipant(b, db, w.ID, w.Groups[i%len(w.Groups)].Key)
		if len(first) < 60 {
			first = append(first, p)
		}
		for ti, key := range w.TrendKeys {
			for _, q := range w.Questions {
				x := q.Min + (ti+rng.IntN(3))%(q.Max-q.Min+1)
				answers = append(answers, domain.Answer{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: key, QuestionKey: q.Key, Value: &x, At: now})
			}
		}
		for _, key := range w.Tensions {
			if err := db.SaveTensionPosition(ctx, domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: key,
				Now: rng.IntN(201) - 100, Want: rng.IntN(201) - 100, At: now}); err != nil {
				b.Fatal(err)
			}
		}
		if len(answers) >= 15000 {
			flush()
		}
	}
	flush()
	for i, p := range first {
		idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: w.TrendKeys[i%len(w.TrendKeys)], Text: fmt.Sprintf("Idea %d: share the service with the neighbouring councils", i)}
		if err := db.AddIdea(ctx, idea); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.SetWorkshopState(ctx, orgID, w.ID, domain.PhaseDraft, domain.PhaseClosed, false); err != nil {
		b.Fatal(err)
	}
	return w.ID
}

// BenchmarkResultsPages measures the server time of the results page and
// the printable report of a workshop with 2,000 participants × 30 trends ×
// 5 questions (300,000 answers): session and membership check, copying the
// live aggregates, the full analysis, every chart and table, rendering.
// The handler is called directly, so no network time is counted; the
// workshop's answers are loaded into memory by the first request, outside
// the timer (its time is logged). The targets: the report page in
// 50 ms, the PDF in 1 s (report.pdf is the whole download: analysis,
// layout, charts, the embedded font).
func BenchmarkResultsPages(b *testing.B) {
	storetest.BenchmarkEachEngine(b, func(b *testing.B, db *store.DB) {
		env := apptest.Start(b, db)
		org := env.Org("bench")
		env.User("owner@bench.example", org, domain.Owner)
		id := bigWorkshop(b, db, org.ID)
		c := env.SignedIn("owner@bench.example")
		cookie := &http.Cookie{Name: "waymark_session", Value: c.Cookie("waymark_session")}
		for _, page := range []string{"report", "results", "report.pdf"} {
			path := "/o/bench/workshops/" + id + "/" + page
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(cookie)
			get := func(b *testing.B) {
				rec := httptest.NewRecorder()
				env.Main.Web.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", path, rec.Code)
				}
			}
			if page == "report" {
				start := time.Now()
				get(b)
				b.Logf("first report request, loading 300,000 answers into memory: %v", time.Since(start).Round(time.Millisecond))
			}
			b.Run(page, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					get(b)
				}
			})
		}
	})
}
