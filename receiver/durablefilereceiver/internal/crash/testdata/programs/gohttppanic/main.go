// Command gohttppanic serves one request whose handler panics; net/http recovers it and logs
// the panic with its stack through the log package, then the program goes on.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		var orders map[string]int
		orders["42"]++
	})}
	go func() { _ = srv.Serve(ln) }()
	log.Print("listening on ", ln.Addr())
	if resp, err := http.Get("http://" + ln.Addr().String() + "/orders/42"); err == nil {
		_ = resp.Body.Close()
	}
	fmt.Println("2026-12-03T10:00:01Z INFO next request")
}
