// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import "time"

// pod is what the processor reads of a core/v1 Pod, with the field names of the API.
type pod struct {
	Metadata struct {
		Name            string            `json:"name"`
		UID             string            `json:"uid"`
		ResourceVersion string            `json:"resourceVersion"`
		Labels          map[string]string `json:"labels"`
		Annotations     map[string]string `json:"annotations"`
		OwnerReferences []struct {
			Kind       string `json:"kind"`
			Name       string `json:"name"`
			Controller *bool  `json:"controller"`
		} `json:"ownerReferences"`
	} `json:"metadata"`
	Spec struct {
		NodeName   string `json:"nodeName"`
		Containers []struct {
			Name  string `json:"name"`
			Image string `json:"image"`
		} `json:"containers"`
	} `json:"spec"`
	Status struct {
		PodIP             string            `json:"podIP"`
		ContainerStatuses []containerStatus `json:"containerStatuses"`
	} `json:"status"`
}

type containerStatus struct {
	Name                 string `json:"name"`
	RestartCount         int32  `json:"restartCount"`
	ImageID              string `json:"imageID"`
	LastTerminationState struct {
		Terminated *terminatedState `json:"terminated"`
	} `json:"lastState"`
}

type terminatedState struct {
	ExitCode   int32     `json:"exitCode"`
	Signal     int32     `json:"signal"`
	Reason     string    `json:"reason"`
	Message    string    `json:"message"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
}

// controller returns the owner that controls the Pod, as metav1.GetControllerOf does.
func (p *pod) controller() (owner, bool) {
	for _, ref := range p.Metadata.OwnerReferences {
		if ref.Controller != nil && *ref.Controller {
			return owner{kind: ref.Kind, name: ref.Name}, true
		}
	}
	return owner{}, false
}
