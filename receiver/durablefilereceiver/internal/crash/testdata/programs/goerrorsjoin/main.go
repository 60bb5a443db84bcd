// Command goerrorsjoin logs an error made by errors.Join with log/slog's text handler off
// and the log package on: each joined error on a line of its own, then the program goes on.
package main

import (
	"errors"
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.SetFlags(log.Ldate | log.Ltime)
	log.Printf("INFO validating config")
	err := errors.Join(errors.New("listen: port must be set"), errors.New("tls: cert file missing"), errors.New("db: dsn is empty"))
	log.Printf("ERROR config invalid: %v", err)
	log.Printf("INFO falling back to defaults")
}
