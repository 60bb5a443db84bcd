// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startServiceProxy stands in for a Kubernetes Service in front of replicas: it listens on
// one loopback address and hands each connection to the next replica in turn that accepts
// it, as kube-proxy does with a ClusterIP Service whose dead endpoints are gone. A gRPC
// client keeps its connection, so each sidecar stays on one replica until that one dies.
func startServiceProxy(t *testing.T, replicas []string) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var conns sync.WaitGroup
	t.Cleanup(func() { _ = lis.Close(); conns.Wait() })
	go func() {
		next := 0
		for {
			client, err := lis.Accept()
			if err != nil {
				return
			}
			var replica net.Conn
			for range replicas {
				addr := replicas[next%len(replicas)]
				next++
				if replica, err = net.DialTimeout("tcp", addr, time.Second); err == nil {
					break
				}
			}
			if replica == nil {
				_ = client.Close() // no replica is up: the client retries
				continue
			}
			conns.Add(2)
			go pipe(&conns, client, replica)
			go pipe(&conns, replica, client)
		}
	}()
	return lis.Addr().String()
}

// pipe copies from src to dst; when either side ends it closes both, so a replica that
// dies breaks its clients' connections as it would through a Service.
func pipe(done *sync.WaitGroup, dst, src net.Conn) {
	defer done.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}
