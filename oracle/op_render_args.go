package main

import (
	"encoding/json"
	"os"

	k8sversion "k8s.io/apimachinery/pkg/util/version"
)

// envsubst: a text and variables -> the text with `$NAME`, `${NAME}` replaced as Argo CD v3.5.1's
// v1alpha1 Env.Envsubst replaces them in Helm parameters, value file paths and Kustomize images and
// labels: os.Expand with a mapping that answers `$` for `$` (so `$$` is a `$`) and the empty string
// for an unknown name. v1alpha1 cannot be linked (see README.md), so the mapping is ours, written
// from types.go; os.Expand is Go's.
//
// kubeVersion: a Kubernetes version -> what reposerver's parseKubeVersion passes as --kube-version:
// k8s.io/apimachinery version.ParseGeneric, then String(); its error when it does not parse.
func init() {
	register("envsubst", op{
		source: libraries,
		what:   "os.Expand with v1alpha1 Env.Envsubst's mapping (Argo CD v3.5.1 pkg/apis/application/v1alpha1/types.go)",
		handle: func(raw json.RawMessage) (any, error) {
			var in struct {
				Texts []string          `json:"texts"`
				Env   map[string]string `json:"env"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			out := make([]string, len(in.Texts))
			for i, t := range in.Texts {
				out[i] = os.Expand(t, func(s string) string {
					if s == "$" {
						return "$"
					}
					return in.Env[s]
				})
			}
			return out, nil
		},
	})
	register("kubeVersion", op{
		source: kubernetes,
		what:   "k8s.io/apimachinery util/version ParseGeneric and String (Argo CD v3.5.1 reposerver parseKubeVersion)",
		handle: func(raw json.RawMessage) (any, error) {
			var in struct {
				Versions []string `json:"versions"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			out := make([]map[string]string, len(in.Versions))
			for i, v := range in.Versions {
				parsed, err := k8sversion.ParseGeneric(v)
				if err != nil {
					out[i] = map[string]string{"error": err.Error()}
				} else {
					out[i] = map[string]string{"version": parsed.String()}
				}
			}
			return out, nil
		},
	})
}
