package main

import (
	"encoding/json"
	"fmt"

	"github.com/argoproj/argo-cd/v3/util/glob"
)

// glob: patterns and texts -> Argo CD v3.5.1's util/glob MatchWithError (gobwas/glob v0.2.3,
// compiled with the separators given), the matcher every project, sync window and RBAC glob goes
// through. Each case answers matched, or the compile error, or the panic of the matcher (some
// patterns make gobwas's Row matcher slice past the end of the text).
func init() {
	register("glob", op{
		source: argoCD,
		what:   "util/glob MatchWithError (github.com/gobwas/glob v0.2.3 Compile and Match)",
		handle: handleGlob,
	})
}

type globCase struct {
	Pattern    string `json:"pattern"`
	Text       string `json:"text"`
	Separators string `json:"separators"`
}

type globAnswer struct {
	Matched bool   `json:"matched"`
	Error   string `json:"error,omitempty"`
	Panic   string `json:"panic,omitempty"`
}

func handleGlob(raw json.RawMessage) (any, error) {
	var in struct {
		Cases []globCase `json:"cases"`
	}
	if err := decode(raw, &in); err != nil {
		return nil, err
	}
	out := make([]globAnswer, len(in.Cases))
	for i, c := range in.Cases {
		out[i] = matchGlob(c)
	}
	return map[string]any{"answers": out}, nil
}

func matchGlob(c globCase) (a globAnswer) {
	defer func() {
		if r := recover(); r != nil {
			a = globAnswer{Panic: fmt.Sprint(r)}
		}
	}()
	matched, err := glob.MatchWithError(c.Pattern, c.Text, []rune(c.Separators)...)
	if err != nil {
		return globAnswer{Error: err.Error()}
	}
	return globAnswer{Matched: matched}
}
