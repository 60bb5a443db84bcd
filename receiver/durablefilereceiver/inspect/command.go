// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package inspect // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Main runs `flightlog checkpoints --dir D [--json]` with the arguments after the command's
// name and returns its exit code: 0, 1 when a checkpoint could not be read (what could be
// read is still printed), 2 for a usage error.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flightlog checkpoints", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "the durable_file receiver's checkpoint directory (its checkpoint setting)")
	asJSON := fs.Bool("json", false, "print the files as a JSON array")
	letters := fs.Bool("dead-letters", false, "print the records the backend refused for good, from the dead-letter files, instead")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: flightlog checkpoints --dir DIR [--json] [--dead-letters]\n\nPrints each file durable_file tracks: its delivered offset, size, lag in bytes, last delivery, the identity its checkpoint holds (fingerprint, device:inode, hash of the bytes before the offset), and the flight recorder's window: the bytes held back before the offset that a trigger could still ship, and until when every record ships after the last trigger. With --dead-letters, the records the backend refused for good that durable_file kept. Reads only; safe while the collector runs.\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *letters {
		return printDeadLetters(*dir, *asJSON, stdout, stderr)
	}
	files, err := Dir(*dir)
	dead, deadErr := DeadLettersIn(*dir)
	err = errors.Join(err, deadErr)
	if *asJSON {
		if files == nil {
			files = []File{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(files)
	} else {
		printTable(stdout, files, time.Now())
		for _, d := range dead {
			fmt.Fprintf(stdout, "\nDead letters: %d records the backend refused for good in %s (%d bytes); --dead-letters shows them\n",
				len(d.Letters), d.File, d.Size)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "flightlog checkpoints: %v\n", err)
		return 1
	}
	return 0
}

func printDeadLetters(dir string, asJSON bool, stdout, stderr io.Writer) int {
	dead, err := DeadLettersIn(dir)
	if asJSON {
		if dead == nil {
			dead = []DeadLetters{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(dead)
	} else {
		for _, d := range dead {
			for _, l := range d.Letters {
				fmt.Fprintf(stdout, "%s  %s [%d, %d)  %s\n  %s\n", l.Time.Format(time.RFC3339), l.Path, l.From, l.To, l.Answer, l.Logs)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "flightlog checkpoints: %v\n", err)
		return 1
	}
	return 0
}

func printTable(w io.Writer, files []File, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "PATH\tSTATE\tOFFSET\tSIZE\tLAG\tLAST DELIVERY\tFINGERPRINT\tIDENTITY\tRECORDER\n")
	for _, f := range files {
		size, lag := "-", "-"
		if f.State == StateTailing {
			size, lag = fmt.Sprint(f.Size), fmt.Sprint(f.LagBytes)
		}
		fp := f.Fingerprint
		if len(fp) > 16 {
			fp = fp[:16]
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s (%s ago)\t%s/%d\t%s\t%s\n", f.Path, f.State, f.Offset, size, lag,
			f.LastDelivery.Format(time.RFC3339), now.Sub(f.LastDelivery).Truncate(time.Second), fp, f.FingerprintLen, f.Identity(), f.Window())
	}
	_ = tw.Flush()
}
