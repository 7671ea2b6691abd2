// Command bare is the baseline for BenchmarkServeStartup: the smallest Go
// program that listens, prints its address like waymark serve, and answers
// /readyz.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("running at http://%s/\n", ln.Addr())
	http.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ready\n")) })
	http.Serve(ln, nil)
}
