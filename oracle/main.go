// Command oracle answers questions about Argo CD's behaviour with Argo CD's (and Kubernetes') own code.
//
// Protocol: one JSON request a line on standard input, one JSON answer a line on standard output,
// in the order the requests came:
//
//	{"id": 7, "op": "parse", "input": {...}}
//	{"id": 7, "ok": true, "result": {...}}   or   {"id": 7, "ok": false, "error": "..."}
//
// "ok": false is the answer of the code asked (Argo CD's error, verbatim); a request the oracle
// cannot understand (unknown op, malformed input) answers "ok": false with "protocol": true.
// Every op registers itself in ops (see op_*.go) together with where its answer comes from.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
)

// source says whose code answers an op.
type source string

const (
	// argoCD: the answer is computed by Argo CD v3.5.1's own packages, linked as a Go module.
	argoCD source = "argo-cd"
	// kubernetes: the answer is computed by Kubernetes' own packages (apimachinery,
	// apiextensions-apiserver, sigs.k8s.io/yaml) at the release Argo CD v3.5.1 pins.
	kubernetes source = "kubernetes"
	// libraries: the answer is computed by the libraries Argo CD calls (text/template, sprig,
	// fasttemplate, robfig/cron, ...), put together by the oracle's own reading of Argo CD's code,
	// because the Argo CD package that puts them together imports gitops-engine, which the module
	// proxy does not serve at the version Argo CD v3.5.1 uses (see gitops-engine-unavailable/go.mod).
	libraries source = "libraries"
)

type op struct {
	source source
	// what names the Argo CD or Kubernetes functions that answer, for the ping answer and the README.
	what   string
	handle func(input json.RawMessage) (any, error)
}

var ops = map[string]op{}

func register(name string, o op) {
	if _, dup := ops[name]; dup {
		panic("oracle: op registered twice: " + name)
	}
	ops[name] = o
}

type request struct {
	ID    json.RawMessage `json:"id"`
	Op    string          `json:"op"`
	Input json.RawMessage `json:"input"`
}

type answer struct {
	ID       json.RawMessage `json:"id"`
	OK       bool            `json:"ok"`
	Result   any             `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	Protocol bool            `json:"protocol,omitempty"`
}

// protocolError marks an error in the request itself rather than an answer of the code asked.
type protocolError struct{ msg string }

func (e protocolError) Error() string { return e.msg }

func badInput(format string, args ...any) error {
	return protocolError{fmt.Sprintf(format, args...)}
}

func decode(input json.RawMessage, into any) error {
	if err := json.Unmarshal(input, into); err != nil {
		return badInput("malformed input: %v", err)
	}
	return nil
}

func serve(req request) (a answer) {
	a.ID = req.ID
	defer func() {
		if r := recover(); r != nil {
			a = answer{ID: req.ID, Error: fmt.Sprintf("panic: %v\n%s", r, debug.Stack())}
		}
	}()
	o, found := ops[req.Op]
	if !found {
		return answer{ID: req.ID, Error: fmt.Sprintf("unknown op %q", req.Op), Protocol: true}
	}
	result, err := o.handle(req.Input)
	if err != nil {
		_, isProtocol := err.(protocolError)
		return answer{ID: req.ID, Error: err.Error(), Protocol: isProtocol}
	}
	return answer{ID: req.ID, OK: true, Result: result}
}

func init() {
	register("ping", op{source: argoCD, what: "the list of ops", handle: func(json.RawMessage) (any, error) {
		type entry struct {
			Op     string `json:"op"`
			Source source `json:"source"`
			What   string `json:"what"`
		}
		list := []entry{}
		for name, o := range ops {
			list = append(list, entry{name, o.source, o.what})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Op < list[j].Op })
		return map[string]any{"argoCd": "v3.5.1", "ops": list}, nil
	}})
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 256<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		var req request
		var a answer
		if err := json.Unmarshal(line, &req); err != nil {
			a = answer{Error: "malformed request: " + err.Error(), Protocol: true}
		} else {
			a = serve(req)
		}
		if err := enc.Encode(a); err != nil {
			a = answer{ID: req.ID, Error: "unencodable result: " + err.Error(), Protocol: true}
			_ = enc.Encode(a)
		}
		_ = out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(1)
	}
}
