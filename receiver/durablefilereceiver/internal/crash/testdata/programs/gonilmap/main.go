// Command gonilmap logs, then dereferences a nil pointer: the runtime prints the panic, the
// signal line and the stack.
package main

import (
	"log"
	"os"
)

type config struct{ port *int }

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("starting listener")
	var c config
	log.Printf("port %d", *c.port)
}
