package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// syncOrder: the manifests of one Application -> the sync tasks gitops-engine builds from them, in
// the order it runs them, plus the PreDelete/PostDelete hooks Argo CD's controller keeps for the
// Application's deletion and the objects that are never applied.
//
// gitops-engine (the module Argo CD v3.5.1 uses) is not served by the module proxy, so this op is
// our own reading of Argo CD v3.5.1's code, on Kubernetes' unstructured objects (the same
// GetAnnotations, GetName, GroupVersionKind gitops-engine calls):
//
//   - controller/state.go NormalizeTargetObjects: namespaces by scope, duplicates dropped;
//   - controller/state.go partitionTargetObjsForSync and controller/hook.go isHookOfType,
//     hasGitOpsEngineSyncPhaseHook: PreDelete/PostDelete hooks (Argo CD's annotation, or Helm's
//     pre-delete/post-delete) leave the sync unless they also name a sync phase;
//   - gitops-engine/pkg/sync/reconcile.go splitHooks, ignore/ignore.go Ignore: hooks without a
//     type are dropped, the rest split into resources and hooks;
//   - hook/hook.go IsHook, Skip, Types; hook/helm/hook.go, type.go, weight.go, delete_policy.go;
//     hook/delete_policy.go DeletePolicies; resource/annotations.go GetAnnotationCSVs;
//     syncwaves/waves.go Wave; sync_phase.go syncPhases;
//   - sync_context.go getSyncTasks: tasks of resources, then of hooks (a hook without a name gets
//     generateName + "<revision[:7]>-<phase>-<startedAt unix>", lowercased), empty namespaces set
//     to the destination namespace;
//   - sync_tasks.go syncTasks.Less, Sort, adjustDeps, kindOrder, syncPhaseOrder.
//
// Not modelled: live objects (prune tasks and their reversed waves, PruneLast), CreateNamespace's
// extra task, the selective-sync resource filter.
//
// Order of ties: gitops-engine collects the resources from a map (random iteration order) and
// sorts them with sort.Sort, so tasks that compare equal (same phase, wave, kind rank and name)
// come in no fixed order. This op keeps the order they are given in (resources in input order,
// then hooks in input order) with sort.Stable: every order of ties Argo CD can produce is the
// answer for some input order, and the caller chooses which one it asks about.
func init() {
	register("syncOrder", op{
		source: libraries,
		what: "controller/state.go NormalizeTargetObjects, partitionTargetObjsForSync, controller/hook.go isHookOfType; " +
			"gitops-engine pkg/sync: reconcile.go splitHooks, ignore.Ignore, hook.IsHook/Skip/Types/DeletePolicies, " +
			"hook/helm Types/Weight/DeletePolicies, syncwaves.Wave, syncPhases, syncContext.getSyncTasks, " +
			"syncTasks.Less/Sort/adjustDeps (v3.5.1)",
		handle: syncOrder,
	})
}

const (
	annHook         = "argocd.argoproj.io/hook"
	annDeletePolicy = "argocd.argoproj.io/hook-delete-policy"
	annSyncWave     = "argocd.argoproj.io/sync-wave"
	annHelmHook     = "helm.sh/hook"
	annHelmWeight   = "helm.sh/hook-weight"
	annHelmDelete   = "helm.sh/hook-delete-policy"
)

var soPhaseOrder = map[string]int{"PreSync": -1, "Sync": 0, "PostSync": 1, "SyncFail": 2}

var soKindOrder = func() map[string]int {
	kinds := []string{
		"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
		"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
		"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
		"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
		"RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
		"ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
		"IngressClass", "Ingress", "APIService",
	}
	m := map[string]int{}
	for i, k := range kinds {
		m[k] = i - len(kinds)
	}
	return m
}()

// soCSVs follows resource/annotations.go GetAnnotationCSVs: split on commas, trimmed, empty
// items dropped, duplicates dropped.
func soCSVs(obj *unstructured.Unstructured, key string) []string {
	seen := map[string]bool{}
	var out []string
	for _, item := range strings.Split(obj.GetAnnotations()[key], ",") {
		v := strings.TrimSpace(item)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}

func soHelmIsHook(obj *unstructured.Unstructured) bool {
	v, ok := obj.GetAnnotations()[annHelmHook]
	return ok && v != "crd-install"
}

var soHelmTypes = map[string]string{
	"pre-install": "PreSync", "pre-upgrade": "PreSync", "post-upgrade": "PostSync", "post-install": "PostSync",
}

func soTypes(obj *unstructured.Unstructured) []string {
	var types []string
	for _, t := range soCSVs(obj, annHook) {
		switch t {
		case "PreSync", "Sync", "PostSync", "SyncFail", "Skip":
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		for _, t := range soCSVs(obj, annHelmHook) {
			if h, ok := soHelmTypes[t]; ok {
				types = append(types, h)
			}
		}
	}
	return types
}

func soSkip(obj *unstructured.Unstructured) bool {
	types := soTypes(obj)
	for _, t := range types {
		if t == "Skip" {
			return len(types) == 1
		}
	}
	return false
}

func soIsHook(obj *unstructured.Unstructured) bool {
	if _, ok := obj.GetAnnotations()[annHook]; ok {
		return !soSkip(obj)
	}
	return soHelmIsHook(obj)
}

func soDeletePolicies(obj *unstructured.Unstructured) []string {
	var out []string
	for _, p := range soCSVs(obj, annDeletePolicy) {
		switch p {
		case "HookSucceeded", "HookFailed", "BeforeHookCreation":
			out = append(out, p)
		}
	}
	helm := map[string]string{"before-hook-creation": "BeforeHookCreation", "hook-succeeded": "HookSucceeded", "hook-failed": "HookFailed"}
	for _, p := range soCSVs(obj, annHelmDelete) {
		if q, ok := helm[p]; ok {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		out = append(out, "BeforeHookCreation")
	}
	return out
}

func soWave(obj *unstructured.Unstructured) int {
	if text, ok := obj.GetAnnotations()[annSyncWave]; ok {
		if v, err := strconv.Atoi(text); err == nil {
			return v
		}
	}
	if text, ok := obj.GetAnnotations()[annHelmWeight]; ok {
		if v, err := strconv.Atoi(text); err == nil {
			return v
		}
	}
	return 0
}

// soSyncPhases follows sync_phase.go syncPhases (phases of a hook in a fixed order here; they
// never tie with each other, as they differ in phase).
func soSyncPhases(obj *unstructured.Unstructured) []string {
	if soSkip(obj) {
		return nil
	}
	if soIsHook(obj) {
		set := map[string]bool{}
		for _, t := range soTypes(obj) {
			if t != "Skip" {
				set[t] = true
			}
		}
		var out []string
		for _, p := range []string{"PreSync", "Sync", "PostSync", "SyncFail"} {
			if set[p] {
				out = append(out, p)
			}
		}
		return out
	}
	return []string{"Sync"}
}

// soIsHookOfType follows controller/hook.go isHookOfType: either annotation, split on commas and
// trimmed, names the type.
func soIsHookOfType(obj *unstructured.Unstructured, argo, helm string) bool {
	ann := obj.GetAnnotations()
	if ann == nil {
		return false
	}
	for k, want := range map[string]string{annHook: argo, annHelmHook: helm} {
		if v, ok := ann[k]; ok {
			for _, item := range strings.Split(v, ",") {
				if strings.TrimSpace(item) == want {
					return true
				}
			}
		}
	}
	return false
}

func soHasSyncPhaseHook(obj *unstructured.Unstructured) bool {
	for _, t := range soTypes(obj) {
		switch t {
		case "PreSync", "Sync", "PostSync", "SyncFail":
			return true
		}
	}
	return false
}

type soTask struct {
	index        int
	phase        string
	obj          *unstructured.Unstructured
	hook         bool
	waveOverride *int
}

func (t *soTask) wave() int {
	if t.waveOverride != nil {
		return *t.waveOverride
	}
	return soWave(t.obj)
}

type soTasks []*soTask

func (s soTasks) Len() int      { return len(s) }
func (s soTasks) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s soTasks) Less(i, j int) bool {
	a, b := s[i], s[j]
	if d := soPhaseOrder[a.phase] - soPhaseOrder[b.phase]; d != 0 {
		return d < 0
	}
	// int arithmetic as in syncTasks.Less: a difference beyond int64 wraps
	if d := a.wave() - b.wave(); d != 0 {
		return d < 0
	}
	if d := soKindOrder[a.obj.GetKind()] - soKindOrder[b.obj.GetKind()]; d != 0 {
		return d < 0
	}
	return a.obj.GetName() < b.obj.GetName()
}

func (s soTasks) adjustDeps(isDep func(*unstructured.Unstructured) (string, bool), refs func(*unstructured.Unstructured) (string, bool)) {
	first := map[string]int{}
	for i, t := range s {
		if key, ok := isDep(t.obj); ok {
			if index, ok := first[key]; ok {
				wave := s[index].wave()
				t.waveOverride = &wave
				t.phase = s[index].phase
				for j := i; j > index; j-- {
					s[j] = s[j-1]
				}
				s[index] = t
				for k, v := range first {
					if v >= index {
						first[k] = v + 1
					}
				}
			}
		} else if key, ok := refs(t.obj); ok {
			if _, seen := first[key]; !seen {
				first[key] = i
			}
		}
	}
}

func syncOrder(raw json.RawMessage) (any, error) {
	var in struct {
		Manifests []json.RawMessage `json:"manifests"`
		Namespace string            `json:"namespace"`
		Revision  string            `json:"revision"`
		StartedAt int64             `json:"startedAt"`
		// ClusterScoped: the GroupKinds ("Kind.group", "Kind" for the core group) the cluster's
		// discovery reports as cluster-scoped; every other one is namespaced or unknown.
		ClusterScoped []string `json:"clusterScoped"`
	}
	if err := decode(raw, &in); err != nil {
		return nil, err
	}
	type objAt struct {
		index int
		obj   *unstructured.Unstructured
	}
	type deletion struct {
		Index     int    `json:"index"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	}
	type notApplied struct {
		Index  int    `json:"index"`
		Reason string `json:"reason"`
	}
	deletions := []deletion{}
	skipped := []notApplied{}
	var resources, hooks []objAt
	clusterScoped := map[string]bool{}
	for _, gk := range in.ClusterScoped {
		clusterScoped[gk] = true
	}
	// controller/state.go NormalizeTargetObjects: a cluster-scoped object loses its namespace, a
	// namespaced (or unknown) one without a namespace gets the destination namespace; of objects
	// with the same key (group, kind, namespace, name; generateName plus index when unnamed) only
	// the last is kept (Argo CD collects them in a map: the survivors keep the input order here).
	type keyed struct {
		objAt
		key string
	}
	var all []keyed
	last := map[string]int{}
	for i, m := range in.Manifests {
		var content map[string]any
		if err := json.Unmarshal(m, &content); err != nil || content == nil {
			continue // not an object: the library's SyncPlan drops it too
		}
		obj := &unstructured.Unstructured{Object: content}
		gk := obj.GroupVersionKind().GroupKind()
		if clusterScoped[gk.String()] {
			if obj.GetNamespace() != "" {
				obj.SetNamespace("")
			}
		} else if obj.GetNamespace() == "" {
			obj.SetNamespace(in.Namespace)
		}
		name := obj.GetName()
		if name == "" && obj.GetGenerateName() != "" {
			name = fmt.Sprintf("%s%d", obj.GetGenerateName(), i)
		}
		key := strings.Join([]string{gk.Group, gk.Kind, obj.GetNamespace(), name}, "/")
		last[key] = len(all)
		all = append(all, keyed{objAt{i, obj}, key})
	}
	dropped := []int{}
	for n, k := range all {
		if last[k.key] != n {
			dropped = append(dropped, k.index)
			continue
		}
		i, obj := k.index, k.obj
		pre := soIsHookOfType(obj, "PreDelete", "pre-delete")
		post := soIsHookOfType(obj, "PostDelete", "post-delete")
		for _, d := range []struct {
			on bool
			t  string
		}{{pre, "PreDelete"}, {post, "PostDelete"}} {
			if d.on {
				ns := obj.GetNamespace()
				if ns == "" {
					ns = in.Namespace
				}
				deletions = append(deletions, deletion{Index: i, Type: d.t, Name: obj.GetName(), Namespace: ns})
			}
		}
		if (pre || post) && !soHasSyncPhaseHook(obj) {
			continue
		}
		switch {
		case soIsHook(obj) && len(soTypes(obj)) == 0:
			skipped = append(skipped, notApplied{Index: i, Reason: "ignored"})
		case soIsHook(obj):
			hooks = append(hooks, objAt{i, obj})
		case soSkip(obj):
			skipped = append(skipped, notApplied{Index: i, Reason: "skip"})
		default:
			resources = append(resources, objAt{i, obj})
		}
	}
	var tasks soTasks
	for _, r := range resources {
		for _, p := range soSyncPhases(r.obj) {
			tasks = append(tasks, &soTask{index: r.index, phase: p, obj: r.obj})
		}
	}
	for _, h := range hooks {
		for _, p := range soSyncPhases(h.obj) {
			target := h.obj.DeepCopy()
			if target.GetName() == "" {
				rev := in.Revision
				if len(rev) >= 8 {
					rev = rev[0:7]
				}
				target.SetName(target.GetGenerateName() + strings.ToLower(fmt.Sprintf("%s-%s-%d", rev, p, in.StartedAt)))
			}
			tasks = append(tasks, &soTask{index: h.index, phase: p, obj: target, hook: true})
		}
	}
	for _, t := range tasks {
		if t.obj.GetNamespace() == "" {
			t.obj = t.obj.DeepCopy()
			t.obj.SetNamespace(in.Namespace)
		}
	}
	sort.Stable(tasks)
	tasks.adjustDeps(func(o *unstructured.Unstructured) (string, bool) {
		return o.GetName(), o.GetKind() == "Namespace" && o.GroupVersionKind().Group == ""
	}, func(o *unstructured.Unstructured) (string, bool) {
		return o.GetNamespace(), o.GetNamespace() != ""
	})
	tasks.adjustDeps(func(o *unstructured.Unstructured) (string, bool) {
		gvk := o.GroupVersionKind()
		if gvk.Kind == "CustomResourceDefinition" && gvk.Group == "apiextensions.k8s.io" {
			group, ok, err := unstructured.NestedString(o.Object, "spec", "group")
			if err != nil || !ok {
				return "", false
			}
			kind, ok, err := unstructured.NestedString(o.Object, "spec", "names", "kind")
			if err != nil || !ok {
				return "", false
			}
			return group + "/" + kind, true
		}
		return "", false
	}, func(o *unstructured.Unstructured) (string, bool) {
		gk := o.GroupVersionKind()
		return gk.Group + "/" + gk.Kind, true
	})
	type taskOut struct {
		Index          int      `json:"index"`
		Phase          string   `json:"phase"`
		Wave           string   `json:"wave"`
		Hook           bool     `json:"hook"`
		Name           string   `json:"name"`
		Namespace      string   `json:"namespace"`
		HookTypes      []string `json:"hookTypes"`
		DeletePolicies []string `json:"deletePolicies,omitempty"`
	}
	out := []taskOut{}
	for _, t := range tasks {
		o := taskOut{Index: t.index, Phase: t.phase, Wave: strconv.Itoa(t.wave()), Hook: soIsHook(t.obj),
			Name: t.obj.GetName(), Namespace: t.obj.GetNamespace(), HookTypes: soTypes(t.obj)}
		if o.HookTypes == nil {
			o.HookTypes = []string{}
		}
		if o.Hook {
			o.DeletePolicies = soDeletePolicies(t.obj)
		}
		out = append(out, o)
	}
	return map[string]any{"tasks": out, "deletionHooks": deletions, "notApplied": skipped, "duplicates": dropped}, nil
}
