// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config defines the k8s_meta processor's settings.
type Config struct {
	// ContainerName is the app container whose logs this sidecar reads: it becomes
	// k8s.container.name and is the container whose restarts are reported.
	ContainerName string `mapstructure:"container_name"`
	// Env names the environment variables the Downward API fills.
	Env EnvConfig `mapstructure:"env"`
	// LabelsFile and AnnotationsFile are files of a downwardAPI volume
	// (fieldRef metadata.labels / metadata.annotations); re-read when the kubelet updates them.
	LabelsFile      string `mapstructure:"labels_file"`
	AnnotationsFile string `mapstructure:"annotations_file"`
	// Labels and Annotations are the keys copied to k8s.pod.label.<key> and
	// k8s.pod.annotation.<key>.
	Labels      []string `mapstructure:"labels"`
	Annotations []string `mapstructure:"annotations"`
	// WellKnownLabels lets app.kubernetes.io/{instance,name,version} set service.name and
	// service.version, as the semantic conventions describe it behind an opt-in flag.
	WellKnownLabels bool `mapstructure:"well_known_labels"`
	// Override replaces attributes the data already has.
	Override bool `mapstructure:"override"`
	// API configures the optional watch of the own Pod.
	API APIConfig `mapstructure:"api"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// EnvConfig holds the names of the environment variables with the Pod's identity.
type EnvConfig struct {
	Namespace string `mapstructure:"namespace"`
	PodName   string `mapstructure:"pod_name"`
	PodUID    string `mapstructure:"pod_uid"`
	NodeName  string `mapstructure:"node_name"`
	PodIP     string `mapstructure:"pod_ip"`
}

// APIConfig configures the watch of the own Pod.
type APIConfig struct {
	// Enabled watches the own Pod for the owner workload, images and restarts. Without API
	// access the processor warns once and goes on with the Downward API.
	Enabled bool `mapstructure:"enabled"`
	// Kubeconfig is a kubeconfig file to use instead of the in-cluster service account.
	Kubeconfig string `mapstructure:"kubeconfig"`
	// RestartEvents emits a k8s.container.restart record when the app container restarts.
	RestartEvents bool `mapstructure:"restart_events"`
	// ResyncPeriod is how often the watched Pod is re-delivered even without change.
	ResyncPeriod time.Duration `mapstructure:"resync_period"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	for name, v := range map[string]string{
		"env.namespace": c.Env.Namespace, "env.pod_name": c.Env.PodName, "env.pod_uid": c.Env.PodUID,
		"env.node_name": c.Env.NodeName, "env.pod_ip": c.Env.PodIP,
	} {
		if strings.ContainsAny(v, "= \t") {
			errs = append(errs, fmt.Errorf("%s: %q is not an environment variable name", name, v))
		}
	}
	if c.Env.Namespace == "" || c.Env.PodName == "" {
		errs = append(errs, errors.New("env.namespace and env.pod_name: required, they name the Pod this sidecar describes"))
	}
	for _, k := range append(append([]string{}, c.Labels...), c.Annotations...) {
		if k == "" {
			errs = append(errs, errors.New("labels, annotations: empty key"))
		}
	}
	if c.API.ResyncPeriod < 0 {
		errs = append(errs, fmt.Errorf("api.resync_period: must not be negative, got %s", c.API.ResyncPeriod))
	}
	if c.API.RestartEvents && !c.API.Enabled {
		errs = append(errs, errors.New("api.restart_events: needs api.enabled, restarts are known only to the API server"))
	}
	return errors.Join(errs...)
}
