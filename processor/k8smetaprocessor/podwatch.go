// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.uber.org/zap"
)

// watchTimeout bounds one watch call when resync_period is 0; the API server ends a watch
// after its own timeout anyway. client-go's reflector uses 5 to 10 minutes.
const watchTimeout = 5 * time.Minute

// errGone is the API server's 410: the resource version to watch from is too old.
var errGone = errors.New("resource version too old")

// watchPod lists and watches the own Pod, as client-go's reflector does for one object: a GET
// restricted to its name gives the Pod and a resource version, a watch from there gives every
// change. A failed call is retried with backoff (0.8 s to 30 s), an expired resource version
// lists again, and every watch ends after resync_period, when the Pod is listed and delivered
// again.
func (s *source) watchPod(ctx context.Context) {
	client, err := newAPIClient(s.cfg.API)
	if err != nil {
		s.logger.Warn("No Kubernetes API access; using the Downward API alone", zap.Error(err))
		return
	}
	defer client.closeIdle()
	ns, name := s.info.namespace, s.info.name
	path := "/api/v1/namespaces/" + url.PathEscape(ns) + "/pods"
	selector := "metadata.name=" + name
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval = 800*time.Millisecond, 30*time.Second
	warned, watches, rv := false, 0, ""
	for ctx.Err() == nil {
		if rv == "" {
			if rv, err = s.listPod(ctx, client, path, selector, name); err == nil {
				if warned {
					warned = false
					s.logger.Info("Kubernetes API reachable again", zap.String("pod", ns+"/"+name))
				}
				bo.Reset()
			}
		}
		if err == nil {
			if watches++; watches > 1 {
				s.telemetry.ProcessorK8sMetaWatchRestarts.Add(ctx, 1)
			}
			rv, err = s.watchFrom(ctx, client, path, selector, name, rv)
		}
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, errGone):
			rv = ""
			continue
		case err != nil:
			s.telemetry.ProcessorK8sMetaAPIErrors.Add(context.Background(), 1)
			if !warned {
				s.logger.Warn("Kubernetes API unavailable; using the Downward API alone and retrying in the background",
					zap.String("pod", ns+"/"+name), zap.String("hint", apiHint(err)), zap.Error(err))
			} else {
				s.logger.Debug("Kubernetes API still unavailable", zap.Error(err))
			}
			warned = true
			select {
			case <-time.After(bo.NextBackOff()):
			case <-ctx.Done():
				return
			}
			continue
		}
	}
}

// listPod gets the own Pod, delivers it, and returns the resource version to watch from.
func (s *source) listPod(ctx context.Context, c *apiClient, path, selector, name string) (string, error) {
	resp, err := c.get(ctx, path, url.Values{"fieldSelector": {selector}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var list struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
		Items []pod `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return "", fmt.Errorf("listing pods: %w", err)
	}
	for i := range list.Items {
		if list.Items[i].Metadata.Name == name {
			s.observe(ctx, &list.Items[i])
		}
	}
	return list.Metadata.ResourceVersion, nil
}

// watchFrom watches the own Pod from resource version rv until the watch ends, and returns the
// resource version to go on from: "" to list again.
func (s *source) watchFrom(ctx context.Context, c *apiClient, path, selector, name, rv string) (string, error) {
	timeout := s.cfg.API.ResyncPeriod
	if timeout <= 0 {
		timeout = watchTimeout + rand.N(watchTimeout)
	}
	resp, err := c.get(ctx, path, url.Values{
		"watch":               {"true"},
		"fieldSelector":       {selector},
		"resourceVersion":     {rv},
		"allowWatchBookmarks": {"true"},
		"timeoutSeconds":      {fmt.Sprint(int(max(time.Second, timeout) / time.Second))},
	})
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.code == http.StatusGone {
			return "", errGone
		}
		return rv, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var ev struct {
			Type   string          `json:"type"`
			Object json.RawMessage `json:"object"`
		}
		if err := dec.Decode(&ev); err != nil {
			if ctx.Err() != nil || errors.Is(err, io.EOF) {
				// The watch ended (its timeout, or the API server closed it): list again,
				// which also delivers the Pod once per resync_period.
				return "", nil
			}
			return "", fmt.Errorf("watching pods: %w", err)
		}
		switch ev.Type {
		case "ADDED", "MODIFIED":
			var p pod
			if err := json.Unmarshal(ev.Object, &p); err != nil {
				return "", fmt.Errorf("watching pods: %w", err)
			}
			if p.Metadata.Name == name {
				s.observe(ctx, &p)
			}
		case "ERROR":
			var status struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			_ = json.Unmarshal(ev.Object, &status)
			if status.Code == http.StatusGone {
				return "", errGone
			}
			return "", &apiError{code: status.Code, message: status.Message}
		}
	}
}

func apiHint(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "forbidden"):
		return "grant the Role in the k8s_meta README: get, list and watch on pods in this namespace"
	case strings.Contains(msg, "Unauthorized"):
		return "the service account token was refused"
	default:
		return "the API server is not reachable; retrying with backoff"
	}
}

// observe takes what the API server knows about the Pod and reports restarts of the app
// container.
func (s *source) observe(ctx context.Context, pod *pod) {
	for _, ev := range s.update(pod) {
		select {
		case s.events <- ev:
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			s.logger.Warn("Restart event dropped: no logs pipeline takes it", zap.String("container", ev.container))
		}
	}
}

// update records the Pod and returns the restart events it shows.
func (s *source) update(pod *pod) []restartEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.info.fromAPI = true
	s.info.uid = first(pod.Metadata.UID, s.info.uid)
	s.info.node = first(pod.Spec.NodeName, s.info.node)
	s.info.ip = first(pod.Status.PodIP, s.info.ip)
	s.info.labels, s.info.annotations = pod.Metadata.Labels, pod.Metadata.Annotations
	s.info.owner, _ = pod.controller()
	for _, c := range pod.Spec.Containers {
		if c.Name == s.cfg.ContainerName {
			s.info.image = c.Image
		}
	}
	var evs []restartEvent
	for i := range pod.Status.ContainerStatuses {
		cs := &pod.Status.ContainerStatuses[i]
		if s.cfg.ContainerName != "" && cs.Name != s.cfg.ContainerName {
			continue
		}
		if cs.Name == s.cfg.ContainerName {
			s.info.imageID = cs.ImageID
			s.info.restartCount = int64(cs.RestartCount)
		}
		prev, seen := s.restarts[cs.Name]
		s.restarts[cs.Name] = int64(cs.RestartCount)
		// Restarts before the first sight are history the Pod status already shows.
		if !seen || int64(cs.RestartCount) <= prev {
			continue
		}
		ev := newRestartEvent(cs)
		if cs.Name == s.cfg.ContainerName {
			s.termination = &ev.termination
		}
		if s.cfg.API.RestartEvents {
			evs = append(evs, ev)
		}
	}
	s.publishLocked()
	return evs
}
