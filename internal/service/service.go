// Package service holds Waymark's use cases — what a person can do, with
// the role checks, validation and audit entries that go with it. The web
// pages, the JSON API and the command line all call it, so each rule lives
// in one place. It knows nothing of HTTP or SQL.
package service

import (
	"context"
	"log/slog"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/live"
)

// Service carries the store and the clock every use case needs.
type Service struct {
	store domain.Store
	now   func() time.Time
	log   *slog.Logger
	// published caches published versions by id. A published version never
	// changes, so its content can be kept; who may see it is still checked
	// on every call.
	published *lru.Cache[string, *domain.Version]

	// Running workshops: where live events go, where answers are made
	// durable (a group committer in production), and in-memory aggregates.
	broker    live.Broker
	coalescer *live.Coalescer
	answers   domain.AnswerSink
	live      liveState
	cache     *participantCache
}

// publishedCacheSize is how many published versions are kept in memory.
const publishedCacheSize = 64

// New returns a Service on the store. now may be nil for time.Now.
func New(store domain.Store, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	cache, _ := lru.New[string, *domain.Version](publishedCacheSize)
	s := &Service{store: store, now: func() time.Time { return now().UTC() }, log: log, published: cache,
		answers: directSink{store}, live: liveState{tallies: map[string]*tallyEntry{}}, cache: newParticipantCache()}
	s.setBroker(live.NewMemory())
	return s
}

func (s *Service) setBroker(b live.Broker) {
	if s.coalescer != nil {
		s.coalescer.Close()
	}
	s.broker = b
	s.coalescer = live.NewCoalescer(b, presenterCoalescing, s.log)
}

// UseLive replaces the in-process broker (for several instances, the
// PostgreSQL one) and the answer sink (the store's group committer). Call
// it before serving.
func (s *Service) UseLive(b live.Broker, answers domain.AnswerSink) {
	if b != nil {
		s.setBroker(b)
	}
	if answers != nil {
		s.answers = answers
	}
}

// Close stops the pending live updates. The broker and the answer sink
// are closed by whoever made them.
func (s *Service) Close() { s.coalescer.Close() }

// Broker returns the live broker, for the streams the web and API serve.
func (s *Service) Broker() live.Broker { return s.broker }

// directSink stores each batch in its own transaction: correct, but slow
// under load; production uses the store's group committer.
type directSink struct{ store domain.WorkshopStore }

func (d directSink) Submit(ctx context.Context, answers []domain.Answer) error {
	return d.store.SaveAnswers(ctx, answers)
}

// Store returns the underlying store, for read-only queries that need no
// rule of their own.
func (s *Service) Store() domain.Store { return s.store }

// Now returns the service's current time in UTC.
func (s *Service) Now() time.Time { return s.now() }

// audit records an action; a failure to write the log is logged, not
// returned, because the action itself has already happened.
func (s *Service) audit(ctx context.Context, a domain.Actor, action, objectType, objectID, detail string) {
	e := &domain.AuditEntry{OrgID: a.OrgID, UserID: a.UserID, Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail, At: s.now()}
	if err := s.store.Audit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit log write failed", "action", action, "err", err)
	}
}

func forbidden(what string) error {
	return domain.Errorf(domain.EFORBIDDEN, "Your role does not allow you to %s.", what)
}

func invalid(field, message string) error {
	return domain.Problems{{Field: field, Message: message}}
}
