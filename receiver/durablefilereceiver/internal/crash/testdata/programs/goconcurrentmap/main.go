// Command goconcurrentmap writes a map from two goroutines: the runtime detects it and dumps
// the goroutines with "fatal error: concurrent map writes".
package main

import (
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("counting hits")
	hits := map[int]int{}
	for g := 0; g < 2; g++ {
		go func() {
			for i := 0; ; i++ {
				hits[i%8]++
			}
		}()
	}
	select {}
}
