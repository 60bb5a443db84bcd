// A panic with GOTRACEBACK=system: goroutine headers carry gp=, m= and mp= fields, and
// runtime frames and system goroutines are shown, after an ordinary line.
package main

import (
	"fmt"
	"os"
)

func shard(n int) int {
	shards := []int{1, 2, 3}
	return shards[n]
}

func main() {
	fmt.Fprintln(os.Stdout, "2026/12/03 10:00:00 routing to shard 7")
	fmt.Println(shard(7))
}
