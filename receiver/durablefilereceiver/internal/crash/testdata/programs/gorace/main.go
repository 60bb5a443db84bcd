// Command gorace has a data race that a -race build reports, then exits normally.
package main

import (
	"fmt"
	"sync"
)

func main() {
	fmt.Println("2026-12-03T10:00:00Z INFO counting orders")
	var wg sync.WaitGroup
	orders := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orders++
		}()
	}
	wg.Wait()
	fmt.Println("2026-12-03T10:00:01Z INFO counted", orders > 0)
}
