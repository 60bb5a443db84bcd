// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// banner is what many apps print first: a startup banner, a CSV header. It is longer than
// the 1,000 bytes a file's fingerprint covers, so files that begin with it cannot be told
// apart by their first bytes.
var banner = func() string {
	var b strings.Builder
	for i := range 24 {
		fmt.Fprintf(&b, "#### checkout service v1.4.2 ## startup banner line %02d ##################\n", i)
	}
	return b.String()
}()

// numbered returns n lines named after the file's generation, so each file's lines differ
// after the shared banner.
func numbered(gen string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s line=%06d payload=%s\n", gen, i, strings.Repeat("y", 60))
	}
	return b.String()
}

// identityRun is one scenario's world and its bookkeeping of what must arrive.
type identityRun struct {
	t    *testing.T
	e    *env
	c    *collector
	want map[string]int // lines that must arrive, and how often at least
}

func newIdentityRun(t *testing.T) *identityRun {
	r := &identityRun{t: t, e: newEnv(t, "*.log"), want: map[string]int{}}
	r.c = r.e.start()
	return r
}

// write creates or replaces the file with the banner and n lines of generation gen.
func (r *identityRun) write(name, gen string, n int, flags int) {
	f, err := os.OpenFile(filepath.Join(r.e.dir, name), os.O_CREATE|os.O_WRONLY|flags, 0o644)
	require.NoError(r.t, err)
	content := banner + numbered(gen, n)
	_, err = f.WriteString(content) // one write: the file is rewritten before any poll sees it short
	require.NoError(r.t, err)
	require.NoError(r.t, f.Close())
	for _, l := range strings.Split(strings.TrimSuffix(content, "\n"), "\n") {
		r.want[l]++
	}
}

// delivered waits until every line written arrived as often as it was written.
func (r *identityRun) delivered(what string) {
	r.t.Helper()
	var missing []string
	deadline := time.Now().Add(20 * time.Second)
	for {
		bodies := r.e.sink.Bodies()
		missing = missing[:0]
		for l, n := range r.want {
			if bodies[l] < n {
				missing = append(missing, l)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(missing) > 0 {
		r.t.Fatalf("%s: %d lines never arrived, e.g. %q", what, len(missing), missing[0])
	}
}

// kill SIGKILLs the collector once its checkpoint covers what was delivered, and starts it again.
func (r *identityRun) kill(restart bool) {
	time.Sleep(300 * time.Millisecond) // the checkpoint write follows the acknowledgement
	r.c.kill()
	if restart {
		r.c = r.e.start()
	}
}

// TestFilesThatBeginAlikeAreDifferentFiles runs the four ways a shared beginning fooled an
// identity made of a file's first bytes, each with the checkpoint surviving a SIGKILL.
func TestFilesThatBeginAlikeAreDifferentFiles(t *testing.T) {
	t.Run("a second file with the same beginning", func(t *testing.T) {
		r := newIdentityRun(t)
		r.write("a.log", "first", 100, 0)
		r.delivered("the first file")
		r.kill(true)
		r.write("b.log", "second", 200, 0)
		r.delivered("a second file that begins like the first")
		r.c.terminate(t)
	})
	t.Run("a file deleted and created again with more lines", func(t *testing.T) {
		r := newIdentityRun(t)
		r.write("app.log", "run1", 100, 0)
		r.delivered("the first run")
		r.kill(true)
		require.NoError(t, os.Remove(filepath.Join(r.e.dir, "app.log")))
		r.write("app.log", "run2", 300, 0)
		r.delivered("the file created again")
		r.c.terminate(t)
	})
	t.Run("a file truncated in place and rewritten past its old size", func(t *testing.T) {
		r := newIdentityRun(t)
		r.write("app.log", "run1", 100, 0)
		r.delivered("the first run")
		r.kill(true)
		r.write("app.log", "run2", 300, os.O_TRUNC)
		r.delivered("the rewritten file")
		r.c.terminate(t)
	})
	t.Run("a file recreated while the collector was stopped", func(t *testing.T) {
		r := newIdentityRun(t)
		r.write("app.log", "run1", 100, 0)
		r.delivered("the first run")
		r.kill(false)
		require.NoError(t, os.Remove(filepath.Join(r.e.dir, "app.log")))
		r.write("app.log", "run2", 300, 0)
		r.c = r.e.start()
		r.delivered("the file recreated while the collector was down")
		r.c.terminate(t)
	})
}

// TestCheckpointOfTheFormerFormatSendsNothingAgain starts the new build on a log and the
// checkpoint that main's build (format 2, bc058fe) wrote after delivering all of it:
// nothing is sent again, the next line is, and the checkpoint is written in the current format
// (4), with the identity format 3 added.
func TestCheckpointOfTheFormerFormatSendsNothingAgain(t *testing.T) {
	e := newEnv(t, "*.log")
	log, err := os.ReadFile("testdata/checkpoint-v2/app.log")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(e.dir, "app.log"), log, 0o644))
	checkpoint, err := os.ReadFile("testdata/checkpoint-v2/durable_file.checkpoint")
	require.NoError(t, err)
	require.Contains(t, string(checkpoint), "flightlog-checkpoint v2 ")
	dir := filepath.Join(filepath.Dir(e.dir), "checkpoint")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "durable_file.checkpoint"), checkpoint, 0o640))

	c := e.start()
	f, err := os.OpenFile(filepath.Join(e.dir, "app.log"), os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	time.Sleep(time.Second) // what would be sent again, if anything
	_, err = f.WriteString("the first line after the upgrade\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.Eventually(t, func() bool { return e.sink.Records() > 0 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	c.terminate(t)
	assert.Equal(t, map[string]int{"the first line after the upgrade": 1}, e.sink.Bodies(), "the 500 lines delivered before the upgrade are not sent again")
	written, err := os.ReadFile(filepath.Join(dir, "durable_file.checkpoint"))
	require.NoError(t, err)
	assert.Contains(t, string(written), "flightlog-checkpoint v4 ")
	assert.Contains(t, string(written), `"ino":`, "the entry has its identity now")
}
