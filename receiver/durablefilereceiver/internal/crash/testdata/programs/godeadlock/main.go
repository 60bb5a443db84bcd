// Command godeadlock waits on a channel no one writes: the runtime reports the deadlock and
// every goroutine's stack.
package main

import (
	"log"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.Printf("waiting for the first job")
	jobs := make(chan int)
	<-jobs
}
