package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The participant API, as a phone uses it.
const (
	joinPath        = "/api/v1/join"
	answersPathFmt  = "/api/v1/workshops/%s/answers"
	eventsPathFmt   = "/api/v1/workshops/%s/events"
	participantAuth = "Participant "
)

// Client calls Waymark's participant API.
type Client struct {
	// Base is the server's address, e.g. http://127.0.0.1:8080.
	Base string
	// HTTP sends the requests.
	HTTP *http.Client
}

// NewTransport returns a transport for many concurrent requests to one
// loopback server: HTTP/1.1, keep-alive, up to conns idle connections.
func NewTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          conns,
		MaxIdleConnsPerHost:   conns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
	}
}

// Joined is what joining returns.
type Joined struct {
	Token    string       `json:"participant_token"`
	Workshop JoinWorkshop `json:"workshop"`
}

// JoinWorkshop is the part of the joined workshop the load test reads.
type JoinWorkshop struct {
	ID          string `json:"id"`
	Phase       string `json:"phase"`
	ShowResults bool   `json:"show_results"`
	Groups      []struct {
		Key string `json:"key"`
	} `json:"groups"`
	Questions []struct {
		Key string `json:"key"`
		Min int    `json:"min"`
		Max int    `json:"max"`
	} `json:"questions"`
	Trends []struct {
		Key string `json:"key"`
	} `json:"trends"`
}

// StatusError is an HTTP answer other than the one expected.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Status, strings.TrimSpace(e.Body))
}

// Join joins the workshop with code in group.
func (c *Client) Join(ctx context.Context, code, group string) (*Joined, error) {
	body, _ := json.Marshal(map[string]string{"code": code, "group": group})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+joinPath, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		return nil, &StatusError{Status: res.StatusCode, Body: string(data)}
	}
	var j Joined
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	if j.Token == "" || j.Workshop.ID == "" {
		return nil, fmt.Errorf("join: the answer has no participant_token or workshop id: %.200s", data)
	}
	return &j, nil
}

// Answer is one answer to send; Value nil is "don't know".
type Answer struct {
	Trend, Question string
	Value           *int
}

// AppendAnswersBody appends the JSON body of PUT …/answers to buf.
func AppendAnswersBody(buf []byte, answers []Answer) []byte {
	buf = append(buf, `{"answers":[`...)
	for i, a := range answers {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"trend":`...)
		buf = appendJSONString(buf, a.Trend)
		buf = append(buf, `,"question":`...)
		buf = appendJSONString(buf, a.Question)
		buf = append(buf, `,"value":`...)
		if a.Value == nil {
			buf = append(buf, "null"...)
		} else {
			buf = strconv.AppendInt(buf, int64(*a.Value), 10)
		}
		buf = append(buf, '}')
	}
	return append(buf, "]}"...)
}

// appendJSONString appends s as a JSON string. Keys are plain ASCII, so
// the fast path is the usual one.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// PutAnswers sends a body made by AppendAnswersBody for the participant
// with token and returns the status. The answer's body is read and
// discarded so that the connection is reused; up to 512 bytes of it are
// returned for errors.
func (c *Client) PutAnswers(ctx context.Context, workshopID, token string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.Base+fmt.Sprintf(answersPathFmt, workshopID), bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header["Content-Type"] = []string{"application/json"}
	req.Header["Accept"] = []string{"application/json"}
	req.Header["Authorization"] = []string{participantAuth + token}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, "", err
	}
	var msg string
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		msg = string(b)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, msg, nil
}

// errRemote refuses a target that is not on this machine.
var errRemote = errors.New("the target is not a loopback address; load tests run against this machine only (use --allow-remote if you really mean it)")

// CheckLoopback returns an error unless base's host is a loopback address
// (or a name that resolves only to loopback addresses).
func CheckLoopback(ctx context.Context, base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q is not an http:// or https:// URL", base)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return errRemote
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return fmt.Errorf("target %q: %w", base, err)
	}
	if len(addrs) == 0 {
		return errRemote
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return errRemote
		}
	}
	return nil
}
