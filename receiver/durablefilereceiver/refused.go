// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"errors"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// A backend that refuses a request for good because of what is in it (OTLP/HTTP 400, gRPC
// InvalidArgument: a record too large, a field it will not take) would refuse it forever,
// and the file behind it would wait forever. So the request's records are offered in
// halves, and the halves of the refused halves, until each refused record stands alone:
// everything else is delivered (2 × log2 n requests for one record among n), and each
// refused record goes to on_permanent_error. A batch is acknowledged once each of its
// records was delivered or dead-lettered, so a refusal costs that record, never its file,
// and never another file whose batches rode in the same request. Other permanent errors
// (a bad token, a wrong path) are about the request, not its records: they are retried
// until an operator fixes them, loudly.

// refusesRecords tells whether err refuses a request for its content.
func refusesRecords(err error) bool {
	if !consumererror.IsPermanent(err) {
		return false
	}
	st, ok := status.FromError(err)
	return ok && st.Code() == codes.InvalidArgument
}

// record is one record of a delivery: the i-th token of a batch.
type record struct {
	b *reader.Batch
	i int
}

// views are batches that hold only recs, which are in file order, sharing their bytes:
// what is offered when a part of a delivery is offered alone. Each view covers the file
// range of its records.
func views(recs []record) []*reader.Batch {
	var out []*reader.Batch
	for k := 0; k < len(recs); {
		r := recs[k]
		n := 1
		for k+n < len(recs) && recs[k+n].b == r.b && recs[k+n].i == r.i+n {
			n++
		}
		v := *r.b
		v.Tokens = r.b.Tokens[r.i : r.i+n]
		v.Start, v.End = r.b.Tokens[r.i].At, r.b.TokenEnd(r.i+n-1)
		out = append(out, &v)
		k += n
	}
	return out
}

// isolate delivers batches whose delivery the pipeline refused for good (err): it finds the
// refused records, delivers the rest, then hands the refused records to the policy. Each
// batch is acknowledged and released as soon as all its records are settled; what is not
// settled when ctx ends is released unacknowledged, to be read again next start.
func (d *delivery) isolate(ctx context.Context, batches []*reader.Batch, err error) {
	var all []record
	left := make(map[*reader.Batch]int, len(batches))
	for _, b := range batches {
		left[b] = len(b.Tokens)
		for i := range b.Tokens {
			all = append(all, record{b, i})
		}
	}
	settled := func(recs ...record) {
		for _, r := range recs {
			if left[r.b]--; left[r.b] == 0 {
				d.checkpoints.acknowledge(ctx, []*reader.Batch{r.b})
			}
		}
	}
	d.logger.Warn("The pipeline refused a delivery for good for what is in it; offering its records in parts to find the refused ones",
		zap.Strings("ranges", ranges(batches)), zap.Int("records", len(all)), zap.String("answer", err.Error()))
	refused := d.split(ctx, all, err, settled, nil)
	if ctx.Err() == nil {
		d.settleRefused(ctx, refused, settled)
	}
	for b, n := range left {
		if n > 0 {
			d.checkpoints.release(b) // ctx ended
		}
	}
}

// refusal is a record the pipeline refused for good, and its answer.
type refusal struct {
	record
	answer error
}

// split offers each half of recs, which the pipeline refused for good with err, on its own,
// settles what is accepted, and returns the records refused alone, in file order.
func (d *delivery) split(ctx context.Context, recs []record, err error, settled func(...record), refused []refusal) []refusal {
	if len(recs) == 1 {
		return append(refused, refusal{recs[0], err})
	}
	mid := len(recs) / 2
	for _, half := range [][]record{recs[:mid], recs[mid:]} {
		err := d.offer(ctx, half)
		switch {
		case err == nil:
			settled(half...)
		case ctx.Err() != nil:
			return refused
		default:
			refused = d.split(ctx, half, err, settled, refused)
		}
	}
	return refused
}

// offer delivers recs alone, retrying what is refused for other reasons than their
// content; it returns nil, an error that refuses them for good, or ctx's error.
func (d *delivery) offer(ctx context.Context, recs []record) error {
	part := views(recs)
	var f *failing
	for {
		err := d.export(ctx, part)
		switch {
		case err == nil:
			if f != nil {
				f.delivered()
			}
			return nil
		case ctx.Err() != nil || refusesRecords(err):
			if f != nil {
				f.over()
			}
			return err
		}
		if f == nil {
			f = d.failing()
		}
		if !f.wait(ctx, part, err) {
			return ctx.Err()
		}
	}
}

// settleRefused settles records the pipeline refused for good: under dead_letter each is
// written to the dead-letter file, logged with its file and byte range, and counted; under
// retry, or while the dead-letter file is full, each is offered again, with the backoff,
// until it is accepted (its file waits behind it, and says so every minute).
func (d *delivery) settleRefused(ctx context.Context, refused []refusal, settled func(...record)) {
	var f *failing
	for first := true; len(refused) > 0; first = false {
		still := refused[:0]
		for _, r := range refused {
			part := views([]record{r.record})
			if d.policy == onPermanentErrorDeadLetter && d.deadLetter(ctx, part[0], r.answer, first) {
				settled(r.record)
				continue
			}
			if !first {
				if r.answer = d.export(ctx, part); r.answer == nil {
					settled(r.record)
					continue
				}
			}
			still = append(still, r)
		}
		if refused = still; len(refused) == 0 || ctx.Err() != nil {
			break
		}
		if f == nil {
			f = d.failing()
		}
		var batches []*reader.Batch
		for _, r := range refused {
			batches = append(batches, views([]record{r.record})...)
		}
		if !f.wait(ctx, batches, refused[0].answer) {
			return
		}
	}
	if f != nil {
		f.over()
	}
}

// deadLetter writes v, one record the pipeline refused with answer, to the dead-letter file;
// false when it cannot (the file is full), which it logs the first time.
func (d *delivery) deadLetter(ctx context.Context, v *reader.Batch, answer error, first bool) bool {
	err := d.deadLetters.Write(v.Path, v.Start, v.End, answer, d.builder.build(v))
	if err != nil {
		if first || !errors.Is(err, deadletter.ErrFull) {
			d.logger.Error("A record the pipeline refused for good cannot be dead-lettered; it is retried meanwhile",
				zap.String("path", v.Path), zap.Int64("from", v.Start), zap.Int64("to", v.End), zap.Error(err))
		}
		return false
	}
	d.telemetry.ReceiverDurableFileDeadLetters.Add(ctx, 1)
	d.logger.Warn("A record the pipeline refused for good was written to the dead-letter file; its file goes on",
		zap.String("path", v.Path), zap.Int64("from", v.Start), zap.Int64("to", v.End),
		zap.String("answer", answer.Error()), zap.String("dead_letter", d.deadLetters.Path))
	return true
}
