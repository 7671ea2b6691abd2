package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// build compiles a package into dir and returns the binary's path.
func build(tb testing.TB, dir, pkg, name string) string {
	tb.Helper()
	bin := filepath.Join(dir, name)
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

var address = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)

// timeToReady starts a server process and returns how long it took from
// the start of the process to the first 200 from /readyz.
func timeToReady(tb testing.TB, bin string, args ...string) time.Duration {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	stdout, _ := cmd.StdoutPipe()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(stdout)
	base := ""
	for sc.Scan() {
		if m := address.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		tb.Fatal("no address printed")
	}
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start)
			}
		}
		if time.Since(start) > 30*time.Second {
			tb.Fatal("not ready after 30 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// BenchmarkServeStartup measures 'waymark serve' (already built) from
// process start to the first 200 on /readyz on SQLite: "fresh" creates and
// migrates a new database each time, "existing" reopens one. "bare" is the
// smallest Go server doing the same, measured in the same run, for scale.
// The target is under 0.5 s.
func BenchmarkServeStartup(b *testing.B) {
	dir := b.TempDir()
	waymark := build(b, dir, ".", "waymark")
	bare := build(b, dir, "./testdata/bare", "bare")
	data := filepath.Join(dir, "existing")
	timeToReady(b, waymark, "--data", data, "serve", "--addr", "127.0.0.1:0")
	b.Run("existing", func(b *testing.B) {
		for b.Loop() {
			timeToReady(b, waymark, "--data", data, "serve", "--addr", "127.0.0.1:0")
		}
	})
	b.Run("fresh", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			d, _ := os.MkdirTemp(dir, "fresh")
			timeToReady(b, waymark, "--data", d, "serve", "--addr", "127.0.0.1:0")
		}
	})
	b.Run("bare", func(b *testing.B) {
		for b.Loop() {
			timeToReady(b, bare)
		}
	})
}
