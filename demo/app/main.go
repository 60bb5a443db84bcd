// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Command app is the demo's application: it logs for a while, then crashes with a Go
// panic, as a real service does at 2 AM.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

type order struct {
	id    int
	items []string
}

func main() {
	run := flag.Int("run", 1, "which start of the app this is")
	lines := flag.Int("lines", 2000, "lines to log before crashing")
	rate := flag.Int("rate", 4000, "lines per second")
	card := flag.String("card", "4111 1111 1111 1111", "the card number the app leaks")
	apiKey := flag.String("api-key", "", "the payment API key the app leaks")
	flag.Parse()

	// The leak redact exists for: a card number and an API key in a log line.
	fmt.Printf("%s level=INFO run=%d msg=\"payment accepted\" card=%q stripe=%s\n",
		time.Now().UTC().Format(time.RFC3339Nano), *run, *card, *apiKey)

	levels := []string{"INFO", "INFO", "INFO", "DEBUG", "WARN"}
	interval := time.Second / time.Duration(*rate)
	for i := range *lines {
		fmt.Printf("%s level=%s run=%d seq=%d msg=\"processed order\" order_id=%d\n",
			time.Now().UTC().Format(time.RFC3339Nano), levels[i%len(levels)], *run, i, 1000*(*run)+i)
		time.Sleep(interval)
	}
	// The bug: an order without items.
	process(&order{id: *run})
	os.Exit(0)
}

func process(o *order) {
	fmt.Printf("%s level=INFO run=%d msg=\"processing order\" order_id=%d\n", time.Now().UTC().Format(time.RFC3339Nano), o.id, o.id)
	_ = o.items[0] // index out of range: the panic the demo is about
}
