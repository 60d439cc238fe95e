package main

import (
	"encoding/json"

	"sigs.k8s.io/yaml"
)

// parse: YAML bytes -> the objects Go's reader makes of them, as kubectl and Argo CD read a
// manifest file: documents split by apimachinery's YAML reader, each converted by
// sigs.k8s.io/yaml (YAMLToJSON, the conversion behind yaml.Unmarshal). Each document is answered as
// JSON text, so that integers beyond 2^53 keep their digits.
func init() {
	register("parse", op{
		source: kubernetes,
		what:   "k8s.io/apimachinery/pkg/util/yaml.NewYAMLReader, sigs.k8s.io/yaml.YAMLToJSON",
		handle: func(raw json.RawMessage) (any, error) {
			var in struct {
				YAML string `json:"yaml"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			split, err := yamlDocuments([]byte(in.YAML))
			if err != nil {
				return nil, err
			}
			docs := []string{}
			for _, doc := range split {
				j, err := yaml.YAMLToJSON(doc)
				if err != nil {
					return nil, err
				}
				if string(j) == "null" {
					continue
				}
				docs = append(docs, string(j))
			}
			return map[string]any{"documents": docs}, nil
		},
	})
}
