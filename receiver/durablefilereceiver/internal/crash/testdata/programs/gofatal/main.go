// Command gofatal logs a line, then deadlocks with several goroutines blocked; run with
// GOTRACEBACK=all to print every goroutine.
package main

import (
	"fmt"
	"sync"
)

func worker(mu *sync.Mutex, ch chan int) {
	mu.Lock()
	<-ch
}

func main() {
	fmt.Println("2026-11-25T10:00:00Z INFO starting workers")
	var mu sync.Mutex
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); worker(&mu, ch) }()
	}
	wg.Wait()
}
