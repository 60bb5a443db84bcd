// Command gologfatal ends with log.Fatalf: one line, then exit status 1, no stack.
package main

import (
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("opening database")
	log.Fatalf("open /var/lib/app/db.sqlite: permission denied")
}
