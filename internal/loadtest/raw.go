package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// A load generator sharing two processors with the server it measures
// takes processor time from it: net/http's client spends about as much on
// each request as the server's own HTTP handling (two goroutine hand-offs
// per request, header maps, timers). rawSender is the lean alternative for
// answer requests, as load tools such as wrk are lean: each worker keeps
// one keep-alive HTTP/1.1 connection, writes every request with one write
// and reads the answer on the same goroutine. Only plain http:// targets.

// answerSender sends one answer request for a worker of sendLoad and
// returns the HTTP status.
type answerSender interface {
	put(ctx context.Context, worker int, workshopID, token string, body []byte) (int, error)
	close()
}

// netHTTPSender sends through net/http's client.
type netHTTPSender struct{ c *Client }

func (s netHTTPSender) put(ctx context.Context, _ int, workshopID, token string, body []byte) (int, error) {
	status, _, err := s.c.PutAnswers(ctx, workshopID, token, body)
	return status, err
}

func (s netHTTPSender) close() { s.c.HTTP.CloseIdleConnections() }

// rawSender sends on one connection per worker.
type rawSender struct {
	addr, host string
	conns      []*rawConn
}

type rawConn struct {
	c   net.Conn
	r   *bufio.Reader
	buf []byte
}

// newRawSender returns a sender for base (http://host:port) with one
// connection slot per worker.
func newRawSender(base string, workers int) (*rawSender, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("the raw client needs an http:// target, not %q (use --client nethttp)", base)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &rawSender{addr: addr, host: u.Host, conns: make([]*rawConn, max(workers, 1))}, nil
}

func (s *rawSender) put(ctx context.Context, worker int, workshopID, token string, body []byte) (int, error) {
	rc := s.conns[worker]
	if rc == nil {
		c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", s.addr)
		if err != nil {
			return 0, err
		}
		rc = &rawConn{c: c, r: bufio.NewReaderSize(c, 4096)}
		s.conns[worker] = rc
	}
	if d, ok := ctx.Deadline(); ok {
		_ = rc.c.SetDeadline(d)
	}
	b := append(rc.buf[:0], "PUT "...)
	b = fmt.Appendf(b, answersPathFmt, workshopID)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, s.host...)
	b = append(b, "\r\nContent-Type: application/json\r\nAccept: application/json\r\nAuthorization: "...)
	b = append(b, participantAuth...)
	b = append(b, token...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\n\r\n"...)
	b = append(b, body...)
	rc.buf = b
	if _, err := rc.c.Write(b); err != nil {
		s.drop(worker)
		return 0, err
	}
	res, err := http.ReadResponse(rc.r, nil)
	if err != nil {
		s.drop(worker)
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.Close {
		s.drop(worker)
	}
	return res.StatusCode, nil
}

// drop closes a worker's connection; its next request dials again.
func (s *rawSender) drop(worker int) {
	if rc := s.conns[worker]; rc != nil {
		rc.c.Close()
		s.conns[worker] = nil
	}
}

func (s *rawSender) close() {
	for i := range s.conns {
		s.drop(i)
	}
}
