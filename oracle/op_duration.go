package main

import (
	"encoding/json"
	"time"
)

// duration: a duration string -> Go's reading of it, by time.ParseDuration, which Argo CD
// (RetryStrategy backoff, SyncWindow.Active) and the External Secrets Operator (metav1.Duration)
// call on every duration field. Answers the nanoseconds as a decimal string (beyond 2^53).
func init() {
	register("duration", op{
		source: libraries,
		what:   "time.ParseDuration (Argo CD v3.5.1 pkg/apis/application/v1alpha1 Backoff and SyncWindow, metav1.Duration)",
		handle: func(raw json.RawMessage) (any, error) {
			var in struct {
				Text string `json:"text"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			d, err := time.ParseDuration(in.Text)
			if err != nil {
				return nil, err
			}
			return map[string]any{"nanoseconds": formatInt(int64(d)), "string": d.String()}, nil
		},
	})
}

func formatInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
