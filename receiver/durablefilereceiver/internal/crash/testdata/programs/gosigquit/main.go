// Command gosigquit logs, then gets SIGQUIT from itself: the Go runtime dumps every
// goroutine's stack and exits, as kill -QUIT does to a hung service.
package main

import (
	"log"
	"os"
	"syscall"
	"time"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("waiting for jobs")
	go func() { time.Sleep(time.Hour) }()
	time.Sleep(100 * time.Millisecond)
	_ = syscall.Kill(os.Getpid(), syscall.SIGQUIT)
	time.Sleep(time.Second)
}
