// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"regexp"
	"strings"

	"github.com/distribution/reference"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Attribute names from the OpenTelemetry semantic conventions.
const (
	attrNamespace      = "k8s.namespace.name"
	attrPodName        = "k8s.pod.name"
	attrPodUID         = "k8s.pod.uid"
	attrPodIP          = "k8s.pod.ip"
	attrNodeName       = "k8s.node.name"
	attrContainerName  = "k8s.container.name"
	attrRestartCount   = "k8s.container.restart_count"
	attrDeployment     = "k8s.deployment.name"
	attrReplicaSet     = "k8s.replicaset.name"
	attrStatefulSet    = "k8s.statefulset.name"
	attrDaemonSet      = "k8s.daemonset.name"
	attrJob            = "k8s.job.name"
	attrCronJob        = "k8s.cronjob.name"
	attrImageName      = "container.image.name"
	attrImageTags      = "container.image.tags"
	attrImageDigests   = "container.image.repo_digests"
	attrServiceName    = "service.name"
	attrServiceVersion = "service.version"
	attrServiceNS      = "service.namespace"
	attrServiceID      = "service.instance.id"

	labelPrefix      = "k8s.pod.label."
	annotationPrefix = "k8s.pod.annotation."
	// Annotations with this prefix name resource attributes directly.
	resourceAnnotationPrefix = "resource.opentelemetry.io/"
)

// podInfo is what is known about the own Pod, from the Downward API and, when allowed,
// from the API server.
type podInfo struct {
	namespace, name, uid, node, ip string
	labels, annotations            map[string]string

	// From the API server.
	owner        owner  // the controller that owns the Pod
	image        string // the app container's image as written in the spec
	imageID      string // the image the runtime resolved, with its digest
	restartCount int64
	fromAPI      bool
}

type owner struct{ kind, name string }

// A CronJob's Job is named <cronjob>-<scheduled time in minutes>, as upstream's
// k8sattributes processor also assumes.
var cronJobName = regexp.MustCompile(`^(.+)-\d{8,}$`)

// workload derives the workload attributes: from the Pod's owner reference when the API
// server told it, else from the labels the workload controllers set on their Pods.
func workload(p *podInfo) map[string]string {
	out := map[string]string{}
	trimLast := func(s string) string {
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			return s[:i]
		}
		return ""
	}
	kind, name := p.owner.kind, p.owner.name
	if kind == "" {
		switch {
		case p.labels["pod-template-hash"] != "":
			kind, name = "ReplicaSet", trimLast(p.name)
		case p.labels["statefulset.kubernetes.io/pod-name"] != "" && p.labels["controller-revision-hash"] != "":
			kind, name = "StatefulSet", trimLast(p.name)
		case p.labels["pod-template-generation"] != "" && p.labels["controller-revision-hash"] != "":
			kind, name = "DaemonSet", trimLast(p.name)
		case p.labels["batch.kubernetes.io/job-name"] != "":
			kind, name = "Job", p.labels["batch.kubernetes.io/job-name"]
		case p.labels["job-name"] != "":
			kind, name = "Job", p.labels["job-name"]
		}
	}
	if name == "" {
		return out
	}
	switch kind {
	case "ReplicaSet":
		out[attrReplicaSet] = name
		// A Deployment names its ReplicaSets <deployment>-<pod-template-hash>.
		if h := p.labels["pod-template-hash"]; h != "" && strings.HasSuffix(name, "-"+h) {
			out[attrDeployment] = strings.TrimSuffix(name, "-"+h)
		}
	case "StatefulSet":
		out[attrStatefulSet] = name
	case "DaemonSet":
		out[attrDaemonSet] = name
	case "Job":
		out[attrJob] = name
		if m := cronJobName.FindStringSubmatch(name); m != nil {
			out[attrCronJob] = m[1]
		}
	}
	return out
}

// resourceAttributes computes every attribute the processor sets, in a fresh map that is
// only read afterwards.
func resourceAttributes(cfg *Config, p *podInfo) pcommon.Map {
	m := pcommon.NewMap()
	put := func(k, v string) {
		if v != "" {
			m.PutStr(k, v)
		}
	}
	put(attrNamespace, p.namespace)
	put(attrPodName, p.name)
	put(attrPodUID, p.uid)
	put(attrNodeName, p.node)
	put(attrPodIP, p.ip)
	put(attrContainerName, cfg.ContainerName)
	for _, k := range cfg.Labels {
		put(labelPrefix+k, p.labels[k])
	}
	for _, k := range cfg.Annotations {
		put(annotationPrefix+k, p.annotations[k])
	}
	wl := workload(p)
	for _, k := range []string{attrDeployment, attrReplicaSet, attrStatefulSet, attrDaemonSet, attrCronJob, attrJob} {
		put(k, wl[k])
	}

	var tag, digest string
	if p.fromAPI {
		if ref, err := reference.ParseNormalizedNamed(p.image); err == nil {
			put(attrImageName, ref.Name())
			if t, ok := ref.(reference.Tagged); ok {
				tag = t.Tag()
				m.PutEmptySlice(attrImageTags).AppendEmpty().SetStr(tag)
			}
			if d, ok := ref.(reference.Digested); ok {
				digest = d.Digest().String()
			}
		}
		// The runtime reports the pulled image as <repo>@<digest>.
		if i := strings.LastIndexByte(p.imageID, '@'); i > 0 {
			m.PutEmptySlice(attrImageDigests).AppendEmpty().SetStr(strings.TrimPrefix(p.imageID, "docker-pullable://"))
			if digest == "" {
				digest = p.imageID[i+1:]
			}
		}
		if cfg.ContainerName != "" {
			m.PutInt(attrRestartCount, p.restartCount)
		}
	}

	// Service attributes, in the order of the semantic conventions' Kubernetes guidance.
	ann := func(k string) string { return p.annotations[resourceAnnotationPrefix+k] }
	wellKnown := func(k string) string {
		if !cfg.WellKnownLabels {
			return ""
		}
		return p.labels["app.kubernetes.io/"+k]
	}
	put(attrServiceNS, first(ann(attrServiceNS), p.namespace))
	put(attrServiceName, first(ann(attrServiceName), wellKnown("instance"), wellKnown("name"),
		wl[attrDeployment], wl[attrReplicaSet], wl[attrStatefulSet], wl[attrDaemonSet], wl[attrCronJob], wl[attrJob],
		p.name, cfg.ContainerName))
	version := digest
	if tag != "" && digest != "" {
		version = tag + "@" + digest
	} else if tag != "" {
		version = tag
	}
	put(attrServiceVersion, first(ann(attrServiceVersion), wellKnown("version"), version))
	instance := p.namespace + "." + p.name
	if cfg.ContainerName != "" {
		instance += "." + cfg.ContainerName
	}
	put(attrServiceID, first(ann(attrServiceID), instance))
	// Any other resource.opentelemetry.io/<attribute> annotation names its attribute.
	for k, v := range p.annotations {
		if name, ok := strings.CutPrefix(k, resourceAnnotationPrefix); ok && name != "" {
			if _, done := m.Get(name); !done {
				put(name, v)
			}
		}
	}
	return m
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// apply sets the attributes of from on to. An attribute to already has is kept unless
// override is set; a service.name an SDK defaulted (unknown_service...) counts as unset.
func apply(from, to pcommon.Map, override bool) {
	keep := func(k string) bool {
		cur, ok := to.Get(k)
		return ok && !override && (k != attrServiceName || !strings.HasPrefix(cur.AsString(), "unknown_service"))
	}
	missing := 0
	for k := range from.All() {
		if _, ok := to.Get(k); !ok {
			missing++
		}
	}
	if missing > 0 {
		to.EnsureCapacity(to.Len() + missing)
	}
	for k, v := range from.All() {
		if keep(k) {
			continue
		}
		switch v.Type() {
		case pcommon.ValueTypeStr:
			to.PutStr(k, v.Str())
		case pcommon.ValueTypeInt:
			to.PutInt(k, v.Int())
		default:
			v.CopyTo(to.PutEmpty(k))
		}
	}
}
