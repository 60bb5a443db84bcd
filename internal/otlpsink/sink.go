// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package otlpsink is a real OTLP/gRPC logs endpoint for tests and the demo: it counts
// every record body it accepts, can write what it accepts as OTLP/JSON lines, and can be
// told to refuse everything, as a backend that is down does.
package otlpsink // import "github.com/flightlog/flightlog/internal/otlpsink"

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // OTLP exporters compress with gzip by default
	"google.golang.org/grpc/status"

	"github.com/flightlog/flightlog/internal/restartevent"
)

// Sink is an OTLP/gRPC logs server on 127.0.0.1.
type Sink struct {
	plogotlp.UnimplementedGRPCServer

	srv    *grpc.Server
	lis    net.Listener
	refuse atomic.Uint32                        // the gRPC code it answers with, codes.OK to accept
	poison atomic.Value                         // a request holding a record with this in its body is refused for good
	when   atomic.Pointer[func(plog.Logs) bool] // a request it holds for is refused for now
	delay  atomic.Int64

	countOnly bool
	record    io.Writer // where accepted requests are written as OTLP/JSON, one a line
	// sequenced counts the arrivals of each numbered line ("seq=%09d ...") instead of
	// keeping bodies: long runs would hold gigabytes of them.
	sequenced bool
	arrivals  []uint8
	other     int // records that are not numbered lines

	mu       sync.Mutex
	bodies   map[string]int
	records  int
	refused  int
	requests int
}

// Start listens on a free loopback port and serves until Stop.
func Start() (*Sink, error) { return start(false, nil) }

// StartCounting is Start for benchmarks: it counts records but keeps no bodies.
func StartCounting() (*Sink, error) { return start(true, nil) }

// StartSequenced is Start for long runs of numbered lines: see Sequences.
func StartSequenced() (*Sink, error) {
	s, err := start(false, nil)
	if s != nil {
		s.sequenced = true
	}
	return s, err
}

// StartTLS is Start behind TLS with config: a backend that requires TLS, or mTLS when
// config asks for client certificates.
func StartTLS(config *tls.Config) (*Sink, error) {
	return start(false, nil, grpc.Creds(credentials.NewTLS(config)))
}

// StartRecording is Start that also writes every accepted request to w as one line of
// OTLP/JSON, as the file exporter does. A request is accepted only once it was written.
func StartRecording(w io.Writer) (*Sink, error) { return start(false, w) }

func start(countOnly bool, record io.Writer, opts ...grpc.ServerOption) (*Sink, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(64<<20))...)
	s := &Sink{srv: srv, lis: lis, bodies: map[string]int{}, countOnly: countOnly, record: record}
	plogotlp.RegisterGRPCServer(s.srv, s)
	go func() { _ = s.srv.Serve(lis) }()
	return s, nil
}

// Addr is host:port of the endpoint.
func (s *Sink) Addr() string { return s.lis.Addr().String() }

// Stop closes the server.
func (s *Sink) Stop() { s.srv.Stop() }

// SetRefusing makes every export fail with UNAVAILABLE until called with false.
func (s *Sink) SetRefusing(v bool) {
	code := codes.OK
	if v {
		code = codes.Unavailable
	}
	s.SetRefusingWith(code)
}

// SetRefusingWith makes the sink answer every request with code (Unavailable is a 503 of
// OTLP/HTTP, ResourceExhausted a 429, Internal a 500); codes.OK accepts again.
func (s *Sink) SetRefusingWith(code codes.Code) { s.refuse.Store(uint32(code)) }

// SetPoison makes the sink refuse for good (InvalidArgument, as an OTLP/HTTP backend's 400)
// every request that holds a record whose body contains poison; "" accepts them again.
func (s *Sink) SetPoison(poison string) { s.poison.Store(poison) }

// SetRefusingWhen makes the sink refuse for now (Unavailable) every request for which
// refuse holds, as a backend that fails some requests does; nil accepts them again.
func (s *Sink) SetRefusingWhen(refuse func(plog.Logs) bool) {
	if refuse == nil {
		s.when.Store(nil)
		return
	}
	s.when.Store(&refuse)
}

func holds(logs plog.Logs, text string) bool {
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		sls := logs.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				if strings.Contains(recs.At(k).Body().AsString(), text) {
					return true
				}
			}
		}
	}
	return false
}

// SetDelay makes every export take at least d, as a distant or busy backend does. A
// request whose client goes away during the delay is not stored: the client never
// learned that it arrived.
func (s *Sink) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// Export implements plogotlp.GRPCServer.
func (s *Sink) Export(ctx context.Context, req plogotlp.ExportRequest) (plogotlp.ExportResponse, error) {
	if d := time.Duration(s.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return plogotlp.NewExportResponse(), ctx.Err()
		}
	}
	if poison, _ := s.poison.Load().(string); poison != "" && holds(req.Logs(), poison) {
		s.mu.Lock()
		s.refused++
		s.mu.Unlock()
		// What an OTLP backend answers to a record it will never take (HTTP 400).
		return plogotlp.NewExportResponse(), status.Error(codes.InvalidArgument, "record refused: it holds "+poison)
	}
	if when := s.when.Load(); when != nil && (*when)(req.Logs()) {
		s.mu.Lock()
		s.refused++
		s.mu.Unlock()
		return plogotlp.NewExportResponse(), status.Error(codes.Unavailable, "sink is refusing this request")
	}
	if code := codes.Code(s.refuse.Load()); code != codes.OK {
		s.mu.Lock()
		s.refused++
		s.mu.Unlock()
		return plogotlp.NewExportResponse(), status.Error(code, "sink is refusing data")
	}
	logs := req.Logs()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.record != nil {
		line, err := (&plog.JSONMarshaler{}).MarshalLogs(logs)
		if err == nil {
			_, err = s.record.Write(append(line, '\n'))
		}
		if err != nil {
			return plogotlp.NewExportResponse(), status.Error(codes.Unavailable, err.Error())
		}
	}
	s.requests++
	if s.countOnly {
		s.records += logs.LogRecordCount()
		return plogotlp.NewExportResponse(), nil
	}
	rls := logs.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				s.records++
				if s.sequenced {
					if _, event := recs.At(k).Attributes().Get(restartevent.AttrEventName); !event { // restart events are not lines
						s.arrived(recs.At(k).Body().Str())
					}
					continue
				}
				s.bodies[recs.At(k).Body().AsString()]++
			}
		}
	}
	return plogotlp.NewExportResponse(), nil
}

// Records is how many records were accepted, duplicates included.
func (s *Sink) Records() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records
}

// Refused is how many export requests were refused.
func (s *Sink) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Bodies returns a copy of how often each body arrived.
func (s *Sink) Bodies() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.bodies))
	for k, v := range s.bodies {
		out[k] = v
	}
	return out
}

// Count is how often body arrived.
func (s *Sink) Count(body string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[body]
}

func (s *Sink) arrived(body string) {
	if len(body) < 13 || body[:4] != "seq=" {
		s.other++
		return
	}
	n, err := strconv.Atoi(body[4:13])
	if err != nil {
		s.other++
		return
	}
	for len(s.arrivals) <= n {
		s.arrivals = append(s.arrivals, make([]uint8, max(1024, len(s.arrivals)))...)
	}
	if s.arrivals[n] < 255 {
		s.arrivals[n]++
	}
}

// Arrived tells whether numbered line n arrived at a sequenced sink.
func (s *Sink) Arrived(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return n < len(s.arrivals) && s.arrivals[n] > 0
}

// Sequences compares what a sequenced sink got with lines 0..n-1: the numbers that never
// arrived, how many arrived more than once, and the records that were not numbered lines
// (events, such as flightlog.app.restart, are not counted).
func (s *Sink) Sequences(n int) (missing []int, duplicates, other int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		c := 0
		if i < len(s.arrivals) {
			c = int(s.arrivals[i])
		}
		if c == 0 {
			missing = append(missing, i)
		}
		duplicates += max(0, c-1)
	}
	return missing, duplicates, s.other
}
