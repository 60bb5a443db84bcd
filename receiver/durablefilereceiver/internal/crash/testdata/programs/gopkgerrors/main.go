// An error from github.com/pkg/errors logged with %+v: its message, then its stack, one
// function and its file:line per pair of lines, between ordinary lines of the standard log.
package main

import (
	"log"
	"os"

	"github.com/pkg/errors"
)

func readConfig(path string) error {
	_, err := os.ReadFile(path)
	return errors.Wrap(err, "read config")
}

func main() {
	log.SetOutput(os.Stdout)
	log.Print("starting")
	if err := readConfig("/etc/app/missing.yaml"); err != nil {
		log.Printf("ERROR %+v", err)
	}
	log.Print("using defaults")
}
