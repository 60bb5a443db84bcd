// Command gogoroutine panics in a worker goroutine with a custom error value: the runtime
// prints the value's Error() with its type, and the goroutine's creator.
package main

import (
	"fmt"
	"log"
	"os"
	"sync"
)

type quotaError struct{ tenant string }

func (e quotaError) Error() string { return "quota exceeded for " + e.tenant }

func work(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	if id == 2 {
		panic(fmt.Errorf("worker %d: %w", id, quotaError{"acme"}))
	}
}

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("spawning workers")
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go work(i, &wg)
	}
	wg.Wait()
	log.Printf("all workers done")
}
