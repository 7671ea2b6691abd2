package loadtest

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// The bare baseline.
//
// A no-op handler on the same machine, driven by the same client the same
// way, is the ceiling any endpoint can reach here: what is left once the
// HTTP client and server, the loopback network and the scheduler have taken
// their share. Comparing an endpoint with it in the same run separates what
// Waymark costs from what the machine (and whatever else runs on it) costs.

// BareServer is a tiny HTTP server on loopback that reads and discards the
// body of every request and answers 200 with a small JSON document, as
// PUT …/answers does.
type BareServer struct {
	// URL is the server's base address.
	URL string
	// Requests counts the requests answered.
	Requests atomic.Int64

	srv *http.Server
	ln  net.Listener
}

// bareAnswer is what the bare handler writes, about the size of the real
// answer.
var bareAnswer = []byte(`{"saved":1}`)

// StartBare starts a BareServer on a free loopback port. Close it.
func StartBare() (*BareServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &BareServer{URL: "http://" + ln.Addr().String(), ln: ln}
	b.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(bareAnswer)
			b.Requests.Add(1)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

// Close stops the server.
func (b *BareServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return b.srv.Shutdown(ctx)
}
