// Command goslog logs the severity script with log/slog's text or JSON handler (os.Args[1])
// and writes one expected SeverityText per output line to os.Args[2] ("-": no level).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
)

func main() {
	var h slog.Handler = slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug})
	if os.Args[1] == "json" {
		h = slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	log := slog.New(h)
	labels, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	defer labels.Close()
	for _, s := range []struct {
		level slog.Level
		text  string
		msg   string
	}{
		{slog.LevelDebug, "DEBUG", "cache warmed in 12 ms"},
		{slog.LevelInfo, "INFO", "GET /api/orders 200 in 3 ms"},
		{slog.LevelInfo, "INFO", "retrying after error: connection reset by peer"},
		{slog.LevelWarn, "WARN", "disk usage at 91%"},
		{slog.LevelError, "ERROR", "payment failed: card declined"},
		{slog.LevelInfo, "INFO", "ERROR budget: 0 of 5 used"},
	} {
		log.Log(context.Background(), s.level, s.msg, "order_id", 42)
		fmt.Fprintln(labels, s.text)
	}
	fmt.Println("plain line without a level")
	fmt.Fprintln(labels, "-")
}
