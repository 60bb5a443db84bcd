// Command gopanic logs a few lines and dies of a nil map write in a nested call.
package main

import (
	"fmt"
	"os"
)

type cache struct{ entries map[string]int }

func (c *cache) put(k string, v int) { c.entries[k] = v }

func handle(c *cache, id int) { c.put(fmt.Sprint("order-", id), id) }

func main() {
	for i := 0; i < 3; i++ {
		fmt.Fprintf(os.Stdout, "2026-11-25T10:00:0%dZ INFO handled request id=%d\n", i, i)
	}
	handle(&cache{}, 42)
}
