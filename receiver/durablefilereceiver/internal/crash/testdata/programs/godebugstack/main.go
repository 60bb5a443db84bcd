// Command godebugstack recovers a failed job, logs the error with log/slog and prints the
// stack with debug.PrintStack, as recover handlers do, then goes on.
package main

import (
	"errors"
	"log/slog"
	"os"
	"runtime/debug"
)

func job() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("job panicked")
			slog.Error("job failed", "err", r)
			debug.PrintStack()
		}
	}()
	var m map[string]int
	m["x"]++
	return nil
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	slog.Info("starting job", "id", 7)
	_ = job()
	slog.Info("next job", "id", 8)
}
