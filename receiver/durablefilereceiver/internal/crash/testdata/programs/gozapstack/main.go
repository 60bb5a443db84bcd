// zap's production console logger: an ERROR carries the stack as "stacktrace" after the
// line, one function and its file:line per pair of lines, between ordinary lines.
package main

import (
	"errors"

	"go.uber.org/zap"
)

func charge(log *zap.Logger, order int) {
	log.Error("charge failed", zap.Int("order", order), zap.Error(errors.New("card declined")))
}

func main() {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "console"
	cfg.OutputPaths = []string{"stdout"}
	log, err := cfg.Build()
	if err != nil {
		panic(err)
	}
	log.Info("charging", zap.Int("order", 42))
	charge(log, 42)
	log.Info("next order", zap.Int("order", 43))
	_ = log.Sync()
}
