package live

import (
	"testing"
	"time"
	"sync"
	"context"
	"net/http"
	"net/http/httptest"
	"bufio"
	"bytes"
	"slices"
)

func TestZZDebugSSE(t *testing.T) {
	br := NewMemory()
	defer br.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ServeSSE(w, r, br, "w", SSEOptions{})
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 2000}
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 60
	r := newFanoutRun(n, 2000)
	per := make([][]time.Duration, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 2000 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
			resp, err := client.Do(req)
			if err != nil { return }
			defer resp.Body.Close()
			sc := bufio.NewReader(resp.Body)
			for {
				line, err := sc.ReadSlice('\n')
				if err != nil { return }
				data, ok := bytes.CutPrefix(line, []byte("data: "))
				if !ok { continue }
				now := time.Now().UnixNano()
				seq := seqOf(data)
				mu.Lock(); per[seq] = append(per[seq], time.Duration(now-r.sent[seq].Load())); mu.Unlock()
				if seq == n-1 { return }
			}
		})
	}
	waitSubscribers(t, br, "w", 2000)
	for seq := range n {
		time.Sleep(50 * time.Millisecond)
		r.sent[seq].Store(time.Now().UnixNano())
		t0 := time.Now()
		br.Publish(ctx, "w", "p", 1, benchData(seq))
		pubd := time.Since(t0)
		_ = pubd
	}
	wg.Wait()
	for seq := range n {
		l := per[seq]; slices.Sort(l)
		t.Logf("seq %d: n %d p50 %v max %v", seq, len(l), l[len(l)/2], l[len(l)-1])
	}
}
