// Command goinitpanic panics in a package init function, before main runs.
package main

import (
	"fmt"
	"os"
	"strconv"
)

var workers = mustInt(os.Getenv("WORKERS"))

func mustInt(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("WORKERS: %v", err))
	}
	return n
}

func main() { fmt.Println(workers) }
