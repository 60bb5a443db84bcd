// Command gostackoverflow recurses without end: the runtime reports the stack limit,
// "fatal error: stack overflow", the runtime stack and the goroutine's frames (elided).
package main

import (
	"log"
	"os"
)

func walk(n int) int { return walk(n+1) + 1 }

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("walking tree")
	log.Printf("%d", walk(0))
}
