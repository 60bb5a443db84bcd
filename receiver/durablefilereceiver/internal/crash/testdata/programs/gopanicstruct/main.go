// Command gopanicstruct panics with a struct value: the runtime prints it with %#v-like
// syntax after "panic: ".
package main

import (
	"log"
	"os"
)

type limitError struct {
	Tenant string
	Limit  int
}

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("enforcing limits")
	panic(limitError{Tenant: "acme", Limit: 100})
}
