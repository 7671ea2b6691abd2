package web

import (
	"net/http"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/ratelimit"
	"github.com/waymark/waymark/internal/workshop"
)

// participantPages serves the pages of people who join a workshop with its
// code: no account, a token in a cookie bound to one workshop. Every screen
// works without JavaScript; participant.js saves answers as they are made
// and swaps in the next phase's screen when the facilitator moves on.
type participantPages struct {
	s     *Server
	joins *ratelimit.JoinLimiter
	now   func() time.Time
}

// registerParticipantRoutes lists the join pages and the participant's
// screens. They are Public: /w/{id} routes check the participant cookie
// themselves and answer 404 without a token of that workshop.
func (s *Server) registerParticipantRoutes() {
	p := &participantPages{s: s, joins: s.joins, now: time.Now}
	s.handle("GET /join", Public, p.joinForm)
	s.handle("POST /join", Public, p.joinCode)
	s.handle("GET /join/{code}", Public, p.joinWorkshopForm)
	s.handle("POST /join/{code}", Public, p.join)
	s.handle("GET /w/{id}", Public, p.show)
	s.handle("POST /w/{id}/answers", Public, p.saveAnswers)
	s.handle("POST /w/{id}/tensions", Public, p.saveTension)
	s.handle("POST /w/{id}/ideas", Public, p.addIdea)
	s.handle("POST /w/{id}/upvote", Public, p.upvote)
	s.handle("POST /w/{id}/dots", Public, p.saveDots)
	s.handle("GET /w/{id}/events", Public, p.events)
}

// participantCookie holds a participant's token. It is set twice with the
// same value: on Path /w/{id}, for the participant's screens, and on Path
// /join/{CODE}, so that opening the join link or scanning the QR code again
// on the same device resumes instead of adding a second participant.
const participantCookie = "waymark_participant"

// participantCookieMaxAge keeps the token across an asynchronous round of
// several weeks.
const participantCookieMaxAge = 90 * 24 * time.Hour

func (p *participantPages) setParticipantCookies(w http.ResponseWriter, ws *domain.Workshop, secret string) {
	for _, path := range []string{"/w/" + ws.ID, "/join/" + ws.Code} {
		http.SetCookie(w, &http.Cookie{Name: participantCookie, Value: secret, Path: path,
			MaxAge: int(participantCookieMaxAge / time.Second), HttpOnly: true, Secure: p.s.secure, SameSite: http.SameSiteLaxMode})
	}
}

// participant returns the workshop and the participant whose token the
// request carries for workshop id, and sets the page language: the one the
// participant chose with the switcher, else the workshop's. Without a
// token of that workshop it returns errNotFound: a token of another
// workshop opens nothing here.
func (p *participantPages) participant(r *http.Request, c *call, id string) (*domain.Workshop, *domain.Participant, string, error) {
	for _, ck := range r.CookiesNamed(participantCookie) {
		if !workshop.ValidToken(ck.Value) {
			continue
		}
		ws, part, err := p.s.svc.Participant(r.Context(), id, ck.Value)
		if domain.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, nil, "", err
		}
		c.lang = participantLang(r, ws)
		return ws, part, ck.Value, nil
	}
	return nil, nil, "", errNotFound
}

// participantLang is the language of a participant's pages: the choice made
// with the language switcher (the lang cookie), else the workshop's own.
func participantLang(r *http.Request, ws *domain.Workshop) string {
	if ck, err := r.Cookie("lang"); err == nil && domain.ValidLanguage(ck.Value) {
		return ck.Value
	}
	if domain.ValidLanguage(ws.Language) {
		return ws.Language
	}
	return "en"
}

// renderParticipant renders a page for someone who is not signed in as a
// member: the header shows the language switcher only, even when the
// browser also has a member's session.
func (p *participantPages) render(w http.ResponseWriter, c *call, status int, page, title string, data any) error {
	bare := *c
	bare.user, bare.org, bare.actor = nil, nil, domain.Actor{}
	return p.s.render(w, &bare, status, page, title, data)
}
