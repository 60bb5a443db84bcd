// Command gozap logs the severity script with zap's production JSON or development console
// encoder (os.Args[1]) and writes one expected SeverityText per output line to os.Args[2].
package main

import (
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func main() {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	if os.Args[1] == "console" {
		enc = zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	}
	log := zap.New(zapcore.NewCore(enc, zapcore.AddSync(os.Stdout), zapcore.DebugLevel))
	labels, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	defer labels.Close()
	for _, s := range []struct {
		level zapcore.Level
		text  string
		msg   string
	}{
		{zapcore.DebugLevel, "DEBUG", "cache warmed in 12 ms"},
		{zapcore.InfoLevel, "INFO", "GET /api/orders 200 in 3 ms"},
		{zapcore.InfoLevel, "INFO", "retrying after error: connection reset by peer"},
		{zapcore.WarnLevel, "WARN", "disk usage at 91%"},
		{zapcore.ErrorLevel, "ERROR", "payment failed: card declined"},
		{zapcore.InfoLevel, "INFO", "ERROR budget: 0 of 5 used"},
		{zapcore.DPanicLevel, "FATAL", "invariant broken"},
	} {
		log.Log(s.level, s.msg, zap.Int("order_id", 42))
		fmt.Fprintln(labels, s.text)
	}
	_ = log.Sync()
	fmt.Println("plain line without a level")
	fmt.Fprintln(labels, "-")
}
