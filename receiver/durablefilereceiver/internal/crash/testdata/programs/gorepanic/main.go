// Command gorepanic recovers a panic in a worker, logs, and panics again with the first
// panic's value: Go prints both, the first marked [recovered].
package main

import (
	"log"
	"os"
)

func settle(orders []int) int { return orders[len(orders)] }

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("settling batch 42")
	defer func() {
		if r := recover(); r != nil {
			panic(r)
		}
	}()
	settle([]int{1, 2, 3})
}
