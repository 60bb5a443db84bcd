// Command goklog logs the severity script with klog to stderr, as Kubernetes components do, and
// writes one expected SeverityText per output line to os.Args[1].
package main

import (
	"flag"
	"fmt"
	"os"

	"k8s.io/klog/v2"
)

func main() {
	fs := flag.NewFlagSet("klog", flag.ExitOnError)
	klog.InitFlags(fs)
	_ = fs.Set("v", "4") // klog's default: every line to stderr, once
	labels, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer labels.Close()
	label := func(text string) { fmt.Fprintln(labels, text) }
	klog.V(4).Info("cache warmed in 12 ms")
	label("INFO") // klog writes V-levels as I lines: what the line says is what counts
	klog.Info("GET /api/orders 200 in 3 ms")
	label("INFO")
	klog.InfoS("retrying after error", "err", "connection reset by peer")
	label("INFO")
	klog.Warning("disk usage at 91%")
	label("WARN")
	klog.ErrorS(fmt.Errorf("card declined"), "payment failed", "order_id", 42)
	label("ERROR")
	klog.Info("ERROR budget: 0 of 5 used")
	label("INFO")
	klog.Flush()
	fmt.Println("plain line without a level")
	label("-")
}
