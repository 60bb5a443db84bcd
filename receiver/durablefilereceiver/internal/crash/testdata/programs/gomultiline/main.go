// Command gomultiline panics with an error whose message has several lines: the runtime
// prints every line after "panic: ", then the stack.
package main

import (
	"errors"
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("validating manifest")
	panic(errors.New("manifest is invalid:\n  spec.replicas: must be >= 0\n  spec.image: required"))
}
