package main

// The modules the oracle's ops link, named here so that go.mod lists them before every op exists.
import (
	_ "github.com/Masterminds/sprig/v3"
	_ "github.com/argoproj/argo-cd/v3/util/glob"
	_ "github.com/argoproj/argo-cd/v3/util/rbac"
	_ "github.com/dlclark/regexp2"
	_ "github.com/robfig/cron/v3"
	_ "github.com/valyala/fasttemplate"
	_ "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	_ "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	_ "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	_ "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	_ "k8s.io/apimachinery/pkg/util/strategicpatch"
)
