// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

// restConfig is the kubeconfig's when one is set, else the Pod's service account's.
func restConfig(cfg APIConfig) (*rest.Config, error) {
	if cfg.Kubeconfig != "" {
		return clientcmd.BuildConfigFromFlags("", cfg.Kubeconfig)
	}
	return rest.InClusterConfig()
}

// podsClient is a REST client for core/v1 alone: client-go's Clientset registers every API
// group, which would add over 20 MB to the binary for the one resource read here.
func podsClient(rc *rest.Config) (*rest.RESTClient, error) {
	scheme := runtime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	cfg := rest.CopyConfig(rc)
	cfg.GroupVersion = &corev1.SchemeGroupVersion
	cfg.APIPath = "/api"
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	return rest.RESTClientFor(cfg)
}

// watchPod keeps one informer on the own Pod: a list and watch restricted to its name, so
// the cache holds one object. The reflector re-lists and re-watches with backoff after any
// failure, a restarted API server included.
func (s *source) watchPod(ctx context.Context) {
	rc, err := restConfig(s.cfg.API)
	if err != nil {
		s.logger.Warn("No Kubernetes API access; using the Downward API alone", zap.Error(err))
		return
	}
	rc.UserAgent = "flightlog-k8s_meta"
	client, err := podsClient(rc)
	if err != nil {
		s.logger.Warn("No Kubernetes API client; using the Downward API alone", zap.Error(err))
		return
	}
	ns, name := s.info.namespace, s.info.name
	selector := fields.OneTermEqualSelector("metadata.name", name).String()
	watches := 0
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = selector
			obj, err := client.Get().Namespace(ns).Resource("pods").VersionedParams(&o, metav1.ParameterCodec).Do(ctx).Get()
			s.countAPIError(ctx, err)
			return obj, err
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = selector
			o.Watch = true
			if watches++; watches > 1 {
				s.telemetry.ProcessorK8sMetaWatchRestarts.Add(ctx, 1)
			}
			w, err := client.Get().Namespace(ns).Resource("pods").VersionedParams(&o, metav1.ParameterCodec).Watch(ctx)
			s.countAPIError(ctx, err)
			return w, err
		},
	}
	informer := cache.NewSharedIndexInformer(lw, &corev1.Pod{}, s.cfg.API.ResyncPeriod, cache.Indexers{})
	warned := false
	_ = informer.SetWatchErrorHandlerWithContext(func(ctx context.Context, _ *cache.Reflector, err error) {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.mu.Lock()
		first := !warned
		warned = true
		s.mu.Unlock()
		if first {
			s.logger.Warn("Kubernetes API unavailable; using the Downward API alone and retrying in the background",
				zap.String("pod", ns+"/"+name), zap.String("hint", apiHint(err)), zap.Error(err))
		} else {
			s.logger.Debug("Kubernetes API still unavailable", zap.Error(err))
		}
	})
	onPod := func(obj any) {
		pod, ok := obj.(*corev1.Pod)
		if !ok || pod.Name != name {
			return
		}
		s.mu.Lock()
		if warned {
			warned = false
			s.logger.Info("Kubernetes API reachable again", zap.String("pod", ns+"/"+name))
		}
		s.mu.Unlock()
		s.observe(ctx, pod)
	}
	_, _ = informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    onPod,
		UpdateFunc: func(_, obj any) { onPod(obj) },
	})
	informer.RunWithContext(ctx)
}

// countAPIError counts a failed list or watch call; the reflector retries some failures, a
// refused connection among them, without reporting them to the watch error handler.
func (s *source) countAPIError(ctx context.Context, err error) {
	if err != nil && ctx.Err() == nil {
		s.telemetry.ProcessorK8sMetaAPIErrors.Add(context.Background(), 1)
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
func (s *source) observe(ctx context.Context, pod *corev1.Pod) {
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
func (s *source) update(pod *corev1.Pod) []restartEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.info.fromAPI = true
	s.info.uid = first(string(pod.UID), s.info.uid)
	s.info.node = first(pod.Spec.NodeName, s.info.node)
	s.info.ip = first(pod.Status.PodIP, s.info.ip)
	s.info.labels, s.info.annotations = pod.Labels, pod.Annotations
	s.info.owner = owner{}
	if ref := metav1.GetControllerOf(pod); ref != nil {
		s.info.owner = owner{kind: ref.Kind, name: ref.Name}
	}
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
