// logrus.Panic: logrus logs the entry at PANIC, then panics with it, and the runtime prints
// the panic value and the goroutine's stack, after an ordinary line.
package main

import "github.com/sirupsen/logrus"

func main() {
	logrus.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
	logrus.Info("opening ledger")
	logrus.WithField("path", "/var/lib/ledger").Panic("ledger is corrupt")
}
