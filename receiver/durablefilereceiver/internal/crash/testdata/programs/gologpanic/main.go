// Command gologpanic fails with log.Panicf: the log line, then the runtime's panic with the
// same message and the stack.
package main

import (
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("loading plugins")
	log.Panicf("plugin %q: missing symbol Init", "audit")
}
