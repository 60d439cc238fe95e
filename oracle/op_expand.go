package main

// expand: an ApplicationSet and a described world (cluster Secrets, repository files, pull
// requests, SCM repositories) -> the Applications the ApplicationSet controller generates, or its
// error. Follows Argo CD v3.5.1: controllers/template/template.go GenerateApplications and
// applyTemplatePatch, generators/generator_spec_processor.go Transform, generators/list.go,
// cluster.go, git.go, matrix.go, merge.go, pull_request.go, scm_provider.go,
// value_interpolation.go, utils/map.go CombineStringMaps, and the repo-server's
// GetGitDirectories / GetGitFiles (reposerver/repository/repository.go, util/git LsFiles), with
// the repository written to a temporary directory and `git ls-files` run by git itself.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cdk8s-argocd/cdk8s-argocd/oracle/v1alpha1"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"dario.cat/mergo"
	"github.com/bmatcuk/doublestar/v4"
	"github.com/gosimple/slug"
	"github.com/jeremywohl/flatten"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/yaml"
)

type expandWorld struct {
	ClusterSecrets  []clusterSecret              `json:"clusterSecrets"`
	Repositories    map[string]map[string]string `json:"repositories"`
	GitFileGlobbing string                       `json:"gitFileGlobbing"`
	PullRequests    *[]worldPullRequest          `json:"pullRequests"`
	ScmRepositories *[]worldScmRepository        `json:"scmRepositories"`
}

type clusterSecret struct {
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"`
}

type worldPullRequest struct {
	Number       int64    `json:"number"`
	Title        string   `json:"title"`
	Branch       string   `json:"branch"`
	TargetBranch string   `json:"targetBranch"`
	HeadSha      string   `json:"headSha"`
	Author       string   `json:"author"`
	Labels       []string `json:"labels"`
}

type worldScmRepository struct {
	Organization string   `json:"organization"`
	Repository   string   `json:"repository"`
	RepositoryID any      `json:"repositoryId"`
	URL          string   `json:"url"`
	Branch       string   `json:"branch"`
	SHA          string   `json:"sha"`
	Labels       []string `json:"labels"`
}

type expander struct {
	appSet *v1alpha1.ApplicationSet
	world  expandWorld
	// secrets decoded: the API server merges stringData into data
	secrets []decodedSecret
}

type decodedSecret struct {
	labels      map[string]string
	annotations map[string]string
	data        map[string][]byte
}

var (
	errEmptyAppSetGenerator         = errors.New("ApplicationSet is empty")
	errLessThanTwoGenerators        = errors.New("found less than two generators, Matrix support only two")
	errMoreThanTwoGenerators        = errors.New("found more than two generators, Matrix support only two")
	errMoreThenOneInnerGenerators   = errors.New("found more than one generator in matrix.Generators")
	errLessThanTwoGeneratorsInMerge = errors.New("found less than two generators, Merge requires two or more")
	errNoMergeKeys                  = errors.New("no merge keys were specified, Merge requires at least one")
	errNonUniqueParamSets           = errors.New("the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique")
)

func init() {
	register("expand", op{
		source: libraries,
		what: "applicationset/controllers/template GenerateApplications, applyTemplatePatch; applicationset/generators Transform, " +
			"List, Cluster, Git, Matrix, Merge, PullRequest, SCMProvider generators; applicationset/utils Render " +
			"(Replace, RenderTemplateParams, RenderGeneratorParams), template_functions.go; ApplicationSetReconciler " +
			"validateGeneratedApplications (duplicate names); repo-server GetGitDirectories, GetGitFiles",
		handle: func(raw json.RawMessage) (result any, err error) {
			// ApplicationSetReconciler.Reconcile recovers a panic of the generation and fails the
			// reconcile with it: a runtime error (writing into a nil map: a merge whose first
			// generator yields a fasttemplate element with no keys) is returned as that error, as
			// Argo CD returns it. Any other panic value Reconcile words as the reconciler itself
			// (`fmt.Errorf("%v", r)`), which says nothing of the input: it is left to serve's
			// recovery, which answers with the panic's value.
			defer func() {
				if rec := recover(); rec != nil {
					recovered, ok := rec.(error)
					if !ok {
						panic(rec)
					}
					result, err = nil, recovered
				}
			}()
			var in struct {
				ApplicationSet json.RawMessage `json:"applicationSet"`
				World          expandWorld     `json:"world"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			appSet := &v1alpha1.ApplicationSet{}
			if err := json.Unmarshal(in.ApplicationSet, appSet); err != nil {
				return nil, badInput("applicationSet: %v", err)
			}
			// the slug package's settings are process-wide; start each request from its defaults
			slug.MaxLength = 0
			slug.EnableSmartTruncate = true
			slug.CustomSub = nil
			e := &expander{appSet: appSet, world: in.World}
			for _, s := range in.World.ClusterSecrets {
				d := decodedSecret{labels: s.Metadata.Labels, annotations: s.Metadata.Annotations, data: map[string][]byte{}}
				for k, v := range s.Data {
					b, err := base64.StdEncoding.DecodeString(v)
					if err != nil {
						return nil, badInput("cluster secret data %s: %v", k, err)
					}
					d.data[k] = b
				}
				for k, v := range s.StringData {
					d.data[k] = []byte(v)
				}
				e.secrets = append(e.secrets, d)
			}
			apps, err := e.generateApplications()
			if err != nil {
				return nil, err
			}
			names := map[string]bool{}
			out := []any{}
			for i := range apps {
				if names[apps[i].Name] {
					return nil, fmt.Errorf("ApplicationSet %s contains applications with duplicate name: %s", appSet.Name, apps[i].Name)
				}
				names[apps[i].Name] = true
				data, err := json.Marshal(apps[i])
				if err != nil {
					return nil, err
				}
				var m map[string]any
				if err := json.Unmarshal(data, &m); err != nil {
					return nil, err
				}
				if meta, ok := m["metadata"].(map[string]any); ok && meta["creationTimestamp"] == nil {
					delete(meta, "creationTimestamp")
				}
				out = append(out, m)
			}
			return map[string]any{"applications": out}, nil
		},
	})
}

// generateApplications: GenerateApplications (the first error wins, as the controller reports it).
func (e *expander) generateApplications() ([]v1alpha1.Application, error) {
	var res []v1alpha1.Application
	var firstError error
	spec := &e.appSet.Spec
	for _, requested := range spec.Generators {
		t, err := e.transform(requested, spec.Template, map[string]any{})
		if err != nil {
			if firstError == nil {
				firstError = err
			}
			continue
		}
		for _, a := range t {
			tmplApplication := getTempApplication(a.Template)
			for _, p := range a.Params {
				app, err := renderTemplateParams(tmplApplication, spec.SyncPolicy, p, spec.GoTemplate, spec.GoTemplateOptions)
				if err != nil {
					if firstError == nil {
						firstError = err
					}
					continue
				}
				if spec.TemplatePatch != nil {
					patched, err := renderTemplatePatch(app, e.appSet, p)
					if err != nil {
						if firstError == nil {
							firstError = err
						}
						continue
					}
					app = patched
				}
				app.Namespace = e.appSet.Namespace
				res = append(res, *app)
			}
		}
	}
	if firstError != nil {
		return nil, firstError
	}
	return res, nil
}

func renderTemplatePatch(app *v1alpha1.Application, appSet *v1alpha1.ApplicationSet, params map[string]any) (*v1alpha1.Application, error) {
	replaced, err := replace(*appSet.Spec.TemplatePatch, params, appSet.Spec.GoTemplate, appSet.Spec.GoTemplateOptions)
	if err != nil {
		return nil, fmt.Errorf("error replacing values in templatePatch: %w", err)
	}
	return applyTemplatePatch(app, replaced)
}

// applyTemplatePatch: controllers/template/patch.go (the template's project is put back).
func applyTemplatePatch(app *v1alpha1.Application, templatePatch string) (*v1alpha1.Application, error) {
	appString, err := json.Marshal(app)
	if err != nil {
		return nil, fmt.Errorf("error while marhsalling Application %w", err)
	}
	converted, err := convertYAMLToJSON(templatePatch)
	if err != nil {
		return nil, fmt.Errorf("error while converting template to json %q: %w", converted, err)
	}
	if err := json.Unmarshal([]byte(converted), &v1alpha1.Application{}); err != nil {
		return nil, fmt.Errorf("invalid templatePatch %q: %w", converted, err)
	}
	data, err := strategicpatch.StrategicMergePatch(appString, []byte(converted), v1alpha1.Application{})
	if err != nil {
		return nil, fmt.Errorf("error while applying templatePatch template to json %q: %w", converted, err)
	}
	final := v1alpha1.Application{}
	if err := json.Unmarshal(data, &final); err != nil {
		return nil, fmt.Errorf("error while unmarhsalling patched application: %w", err)
	}
	final.Spec.Project = app.Spec.Project
	return &final, nil
}

func getTempApplication(t v1alpha1.ApplicationSetTemplate) *v1alpha1.Application {
	var a v1alpha1.Application
	a.Annotations = t.Annotations
	a.Labels = t.Labels
	a.Namespace = t.Namespace
	a.Name = t.Name
	a.Spec = t.Spec
	a.Finalizers = t.Finalizers
	return &a
}

type transformResult struct {
	Params   []map[string]any
	Template v1alpha1.ApplicationSetTemplate
}

type generatorKind int

const (
	kindList generatorKind = iota
	kindClusters
	kindGit
	kindSCM
	kindPullRequest
	kindMatrix
	kindMerge
)

// relevantGenerators: GetRelevantGenerators (struct field order).
func relevantGenerators(g *v1alpha1.ApplicationSetGenerator) []generatorKind {
	var res []generatorKind
	if g.List != nil {
		res = append(res, kindList)
	}
	if g.Clusters != nil {
		res = append(res, kindClusters)
	}
	if g.Git != nil {
		res = append(res, kindGit)
	}
	if g.SCMProvider != nil {
		res = append(res, kindSCM)
	}
	if g.PullRequest != nil {
		res = append(res, kindPullRequest)
	}
	if g.Matrix != nil {
		res = append(res, kindMatrix)
	}
	if g.Merge != nil {
		res = append(res, kindMerge)
	}
	return res
}

func generatorTemplate(k generatorKind, g *v1alpha1.ApplicationSetGenerator) *v1alpha1.ApplicationSetTemplate {
	switch k {
	case kindList:
		return &g.List.Template
	case kindClusters:
		return &g.Clusters.Template
	case kindGit:
		return &g.Git.Template
	case kindSCM:
		return &g.SCMProvider.Template
	case kindPullRequest:
		return &g.PullRequest.Template
	case kindMatrix:
		return &g.Matrix.Template
	default:
		return &g.Merge.Template
	}
}

// transform: Transform.
func (e *expander) transform(requested v1alpha1.ApplicationSetGenerator, baseTemplate v1alpha1.ApplicationSetTemplate, genParams map[string]any) ([]transformResult, error) {
	selector, err := appsetLabelSelectorAsSelector(requested.Selector)
	if err != nil {
		return nil, fmt.Errorf("error parsing label selector: %w", err)
	}
	res := []transformResult{}
	var firstError error
	interpolated := &requested
	spec := &e.appSet.Spec
	for _, k := range relevantGenerators(&requested) {
		dest := deepCopyTemplate(generatorTemplate(k, &requested))
		if err := mergo.Merge(&dest, baseTemplate); err != nil {
			if firstError == nil {
				firstError = err
			}
			continue
		}
		if len(genParams) != 0 {
			tmp, err := renderGeneratorParams(&requested, genParams, spec.GoTemplate, spec.GoTemplateOptions)
			if err != nil {
				if firstError == nil {
					firstError = err
				}
				interpolated = &v1alpha1.ApplicationSetGenerator{}
				continue
			}
			interpolated = tmp
		}
		params, err := e.generateParams(k, interpolated)
		if err != nil {
			if firstError == nil {
				firstError = err
			}
			continue
		}
		var filtered []map[string]any
		for _, p := range params {
			flat, err := flattenParameters(p)
			if err != nil {
				if firstError == nil {
					firstError = err
				}
				continue
			}
			if requested.Selector != nil && !selector.matches(flat) {
				continue
			}
			filtered = append(filtered, p)
		}
		res = append(res, transformResult{Params: filtered, Template: dest})
	}
	return res, firstError
}

func deepCopyTemplate(t *v1alpha1.ApplicationSetTemplate) v1alpha1.ApplicationSetTemplate {
	data, err := json.Marshal(t)
	if err != nil {
		panic(err)
	}
	var out v1alpha1.ApplicationSetTemplate
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

func flattenParameters(in map[string]any) (map[string]string, error) {
	flat, err := flatten.Flatten(normalizeMapForFlatten(in), "", flatten.DotStyle)
	if err != nil {
		return nil, fmt.Errorf("error flatenning parameters: %w", err)
	}
	out := make(map[string]string, len(flat))
	for k, v := range flat {
		out[k] = fmt.Sprintf("%v", v)
	}
	return out, nil
}

func normalizeMapForFlatten(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch cast := v.(type) {
		case map[string]string:
			inner := make(map[string]any, len(cast))
			for ik, iv := range cast {
				inner[ik] = iv
			}
			out[k] = inner
		case map[string]any:
			out[k] = normalizeMapForFlatten(cast)
		default:
			out[k] = v
		}
	}
	return out
}

func (e *expander) generateParams(k generatorKind, g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	switch k {
	case kindList:
		return e.listParams(g)
	case kindClusters:
		return e.clusterParams(g)
	case kindGit:
		return e.gitParams(g)
	case kindSCM:
		return e.scmParams(g)
	case kindPullRequest:
		return e.pullRequestParams(g)
	case kindMatrix:
		return e.matrixParams(g)
	default:
		return e.mergeParams(g)
	}
}

// appendTemplatedValues: value_interpolation.go.
func (e *expander) appendTemplatedValues(values map[string]string, params map[string]any) error {
	tmp := map[string]any{}
	for key, value := range values {
		result, err := replace(value, params, e.appSet.Spec.GoTemplate, e.appSet.Spec.GoTemplateOptions)
		if err != nil {
			return fmt.Errorf("failed to replace templated string: %w", fmt.Errorf("failed to replace templated string with rendered values: %w", err))
		}
		if e.appSet.Spec.GoTemplate {
			if tmp["values"] == nil {
				tmp["values"] = map[string]string{}
			}
			tmp["values"].(map[string]string)[key] = result
		} else {
			tmp["values."+key] = result
		}
	}
	maps.Copy(params, tmp)
	return nil
}

// listParams: generators/list.go.
func (e *expander) listParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.List == nil {
		return nil, errEmptyAppSetGenerator
	}
	res := make([]map[string]any, len(g.List.Elements))
	for i, item := range g.List.Elements {
		params := map[string]any{}
		var element map[string]any
		err := json.Unmarshal(item.Raw, &element)
		if err != nil {
			return nil, fmt.Errorf("error unmarshling list element %w", err)
		}
		if e.appSet.Spec.GoTemplate {
			res[i] = element
		} else {
			for key, value := range element {
				if key == "values" {
					values, ok := (value).(map[string]any)
					if !ok {
						return nil, errors.New("error parsing values map")
					}
					for k, v := range values {
						value, ok := v.(string)
						if !ok {
							return nil, fmt.Errorf("error parsing value as string %w", err)
						}
						params["values."+k] = value
					}
				} else {
					v, ok := value.(string)
					if !ok {
						return nil, fmt.Errorf("error parsing value as string %w", err)
					}
					params[key] = v
				}
				res[i] = params
			}
		}
	}
	if g.List.ElementsYaml != "" {
		var yamlElements []map[string]any
		if err := yaml.Unmarshal([]byte(g.List.ElementsYaml), &yamlElements); err != nil {
			return nil, fmt.Errorf("error unmarshling decoded ElementsYaml %w", err)
		}
		res = append(res, yamlElements...)
	}
	return res, nil
}

// inClusterName and inClusterServer: see op_project.go.

// clusterParams: generators/cluster.go (secrets by cluster name; the in-cluster cluster last).
func (e *expander) clusterParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.Clusters == nil {
		return nil, errEmptyAppSetGenerator
	}
	c := g.Clusters
	ignoreLocal := len(c.Selector.MatchExpressions) > 0 || len(c.Selector.MatchLabels) > 0
	selector := metav1.AddLabelToSelector(c.Selector.DeepCopy(), "argocd.argoproj.io/secret-type", "cluster")
	secretSelector, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return nil, fmt.Errorf("error getting cluster secrets: %w", fmt.Errorf("error converting label selector: %w", err))
	}
	byName := map[string]decodedSecret{}
	order := []string{}
	for _, s := range e.secrets {
		if !secretSelector.Matches(labelsSet(s.labels)) {
			continue
		}
		name := string(s.data["name"])
		if _, seen := byName[name]; !seen {
			order = append(order, name)
		}
		byName[name] = s
	}
	// Argo CD ranges over a map here: the order is unspecified. Sorted by name for a stable answer.
	sort.Strings(order)
	var params []map[string]any
	hasInCluster := false
	for _, name := range order {
		s := byName[name]
		if string(s.data["server"]) == inClusterServer {
			hasInCluster = true
		}
		p := map[string]any{}
		p["name"] = string(s.data["name"])
		p["nameNormalized"] = sanitizeName(string(s.data["name"]))
		p["server"] = string(s.data["server"])
		if project, ok := s.data["project"]; ok {
			p["project"] = string(project)
		} else {
			p["project"] = ""
		}
		if e.appSet.Spec.GoTemplate {
			meta := map[string]any{}
			if len(s.annotations) > 0 {
				meta["annotations"] = s.annotations
			}
			if len(s.labels) > 0 {
				meta["labels"] = s.labels
			}
			p["metadata"] = meta
		} else {
			for k, v := range s.annotations {
				p["metadata.annotations."+k] = v
			}
			for k, v := range s.labels {
				p["metadata.labels."+k] = v
			}
		}
		if err := e.appendTemplatedValues(c.Values, p); err != nil {
			return nil, fmt.Errorf("error appending templated values for cluster: %w", err)
		}
		params = append(params, p)
	}
	if !ignoreLocal && !hasInCluster {
		p := map[string]any{"name": inClusterName, "nameNormalized": inClusterName, "server": inClusterServer, "project": ""}
		if err := e.appendTemplatedValues(c.Values, p); err != nil {
			return nil, fmt.Errorf("error appending templated values for local cluster: %w", err)
		}
		params = append(params, p)
	}
	if c.FlatList {
		return []map[string]any{{"clusters": params}}, nil
	}
	return params, nil
}

type labelsSet map[string]string

func (l labelsSet) Has(k string) bool   { _, ok := l[k]; return ok }
func (l labelsSet) Get(k string) string { return l[k] }
func (l labelsSet) Lookup(k string) (string, bool) {
	v, ok := l[k]
	return v, ok
}

// gitParams: generators/git.go (the AppProject is taken to exist).
func (e *expander) gitParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.Git == nil {
		return nil, errEmptyAppSetGenerator
	}
	var res []map[string]any
	var err error
	switch {
	case len(g.Git.Directories) != 0:
		res, err = e.gitDirectoryParams(g)
	case len(g.Git.Files) != 0:
		res, err = e.gitFileParams(g)
	default:
		return nil, errEmptyAppSetGenerator
	}
	if err != nil {
		return nil, fmt.Errorf("error generating params from git: %w", err)
	}
	return res, nil
}

// checkout writes the repository's files under a temporary directory and adds them to git's index.
func (e *expander) checkout(repoURL string) (string, func(), error) {
	files, ok := e.world.Repositories[repoURL]
	if !ok {
		return "", nil, fmt.Errorf("rpc error: code = Internal desc = unable to resolve git revision : repository %s not found", repoURL)
	}
	root, err := os.MkdirTemp("", "expand-repo-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(root) }
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			cleanup()
			return "", nil, badInput("repository file %q: %v", p, err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			cleanup()
			return "", nil, badInput("repository file %q: %v", p, err)
		}
	}
	return root, cleanup, nil
}

func (e *expander) gitDirectoryParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	root, cleanup, err := e.checkout(g.Git.RepoURL)
	if err != nil {
		return nil, fmt.Errorf("error getting directories from repo: %w", err)
	}
	defer cleanup()
	var allPaths []string
	err = filepath.WalkDir(root, func(p string, entry fs.DirEntry, fnErr error) error {
		if fnErr != nil {
			return fmt.Errorf("error walking the file tree: %w", fnErr)
		}
		if !entry.IsDir() {
			return nil
		}
		if strings.HasPrefix(entry.Name(), ".") && p != root {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		allPaths = append(allPaths, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("error getting directories from repo: %w", err)
	}
	var requested []string
	for _, appPath := range allPaths {
		include, exclude := false, false
		for _, r := range g.Git.Directories {
			match, err := path.Match(r.Path, appPath)
			if err != nil {
				continue
			}
			if match && !r.Exclude {
				include = true
			}
			if match && r.Exclude {
				exclude = true
			}
		}
		if include && !exclude {
			requested = append(requested, appPath)
		}
	}
	res := make([]map[string]any, len(requested))
	for i, a := range requested {
		params := map[string]any{}
		if e.appSet.Spec.GoTemplate {
			pp := map[string]any{"path": a, "basename": path.Base(a), "basenameNormalized": sanitizeName(path.Base(a)), "segments": strings.Split(a, "/")}
			if g.Git.PathParamPrefix != "" {
				params[g.Git.PathParamPrefix] = map[string]any{"path": pp}
			} else {
				params["path"] = pp
			}
		} else {
			name := "path"
			if g.Git.PathParamPrefix != "" {
				name = g.Git.PathParamPrefix + "." + name
			}
			params[name] = a
			params[name+".basename"] = path.Base(a)
			params[name+".basenameNormalized"] = sanitizeName(path.Base(a))
			for k, v := range strings.Split(a, "/") {
				if v != "" {
					params[name+"["+strconv.Itoa(k)+"]"] = v
				}
			}
		}
		if err := e.appendTemplatedValues(g.Git.Values, params); err != nil {
			return nil, fmt.Errorf("error generating params from apps: %w", fmt.Errorf("failed to append templated values: %w", err))
		}
		res[i] = params
	}
	return res, nil
}

// getFiles: the repo-server's GetGitFiles (util/git LsFiles, legacy `git ls-files` or doublestar).
func (e *expander) getFiles(root, repoURL, revision, pattern string) (map[string][]byte, error) {
	var files []string
	if e.world.GitFileGlobbing == "doublestar" {
		realRoot, err := filepath.EvalSymlinks(root)
		if err == nil {
			var all []string
			all, err = doublestar.FilepathGlob(filepath.Join(realRoot, pattern))
			for _, f := range all {
				rel, rerr := filepath.Rel(realRoot, f)
				if rerr != nil {
					err = rerr
					break
				}
				files = append(files, rel)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("rpc error: code = Internal desc = unable to list files. repo %s with revision %s pattern %s: %v", repoURL, revision, pattern, err)
		}
	} else {
		cmd := exec.CommandContext(context.Background(), "git", "ls-files", "--full-name", "-z", "--", pattern)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			msg := err.Error()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				msg = strings.TrimSpace(string(ee.Stderr))
			}
			return nil, fmt.Errorf("rpc error: code = Internal desc = unable to list files. repo %s with revision %s pattern %s: %s", repoURL, revision, pattern, msg)
		}
		ss := strings.Split(string(out), "\000")
		files = ss[:len(ss)-1]
	}
	res := map[string][]byte{}
	for _, f := range files {
		content, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			msg := strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "")
			return nil, fmt.Errorf("rpc error: code = Internal desc = unable to read files. repo %s with revision %s pattern %s: %s", repoURL, revision, pattern, msg)
		}
		res[filepath.ToSlash(f)] = content
	}
	return res, nil
}

func (e *expander) gitFileParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	root, cleanup, err := e.checkout(g.Git.RepoURL)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if e.world.GitFileGlobbing != "doublestar" {
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
			cmd := exec.Command("git", args...)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				return nil, badInput("git %v: %v %s", args, err, out)
			}
		}
	}
	contents := map[string][]byte{}
	var includes, excludes []string
	for _, r := range g.Git.Files {
		if r.Exclude {
			excludes = append(excludes, r.Path)
		} else {
			includes = append(includes, r.Path)
		}
	}
	for _, p := range includes {
		got, err := e.getFiles(root, g.Git.RepoURL, g.Git.Revision, p)
		if err != nil {
			return nil, err
		}
		maps.Copy(contents, got)
	}
	for _, p := range excludes {
		got, err := e.getFiles(root, g.Git.RepoURL, g.Git.Revision, p)
		if err != nil {
			return nil, err
		}
		for k := range got {
			delete(contents, k)
		}
	}
	var filePaths []string
	for p := range contents {
		filePaths = append(filePaths, p)
	}
	sort.Strings(filePaths)
	var all []map[string]any
	for _, fp := range filePaths {
		ps, err := e.paramsFromGitFile(fp, contents[fp], g.Git.Values, g.Git.PathParamPrefix)
		if err != nil {
			return nil, fmt.Errorf("unable to process file '%s' from repository '%s': %w", fp, g.Git.RepoURL, err)
		}
		all = append(all, ps...)
	}
	return all, nil
}

func (e *expander) paramsFromGitFile(filePath string, content []byte, values map[string]string, prefix string) ([]map[string]any, error) {
	objects := []map[string]any{}
	single := map[string]any{}
	if err := yaml.Unmarshal(content, &single); err == nil {
		objects = append(objects, single)
	} else if err := yaml.Unmarshal(content, &objects); err != nil {
		return nil, fmt.Errorf("unable to parse file: %w", err)
	}
	res := []map[string]any{}
	for _, obj := range objects {
		params := map[string]any{}
		if e.appSet.Spec.GoTemplate {
			maps.Copy(params, obj)
			dir := path.Dir(filePath)
			pp := map[string]any{
				"path":               dir,
				"basename":           path.Base(dir),
				"filename":           path.Base(filePath),
				"basenameNormalized": sanitizeName(path.Base(dir)),
				"filenameNormalized": sanitizeName(path.Base(path.Base(filePath))),
				"segments":           strings.Split(dir, "/"),
			}
			if prefix != "" {
				params[prefix] = map[string]any{"path": pp}
			} else {
				params["path"] = pp
			}
		} else {
			flat, err := flatten.Flatten(obj, "", flatten.DotStyle)
			if err != nil {
				return nil, fmt.Errorf("error flattening object: %w", err)
			}
			for k, v := range flat {
				params[k] = fmt.Sprintf("%v", v)
			}
			name := "path"
			if prefix != "" {
				name = prefix + "." + name
			}
			dir := path.Dir(filePath)
			params[name] = dir
			params[name+".basename"] = path.Base(dir)
			params[name+".filename"] = path.Base(filePath)
			params[name+".basenameNormalized"] = sanitizeName(path.Base(dir))
			params[name+".filenameNormalized"] = sanitizeName(path.Base(filePath))
			for k, v := range strings.Split(dir, "/") {
				if v != "" {
					params[name+"["+strconv.Itoa(k)+"]"] = v
				}
			}
		}
		if err := e.appendTemplatedValues(values, params); err != nil {
			return nil, fmt.Errorf("failed to append templated values: %w", err)
		}
		res = append(res, params)
	}
	return res, nil
}

// matrixParams: generators/matrix.go.
func (e *expander) matrixParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.Matrix == nil {
		return nil, errEmptyAppSetGenerator
	}
	if len(g.Matrix.Generators) < 2 {
		return nil, errLessThanTwoGenerators
	}
	if len(g.Matrix.Generators) > 2 {
		return nil, errMoreThanTwoGenerators
	}
	res := []map[string]any{}
	g0, err := e.childParams(g.Matrix.Generators[0], nil)
	if err != nil {
		return nil, fmt.Errorf("error failed to get params for first generator in matrix generator: %w", err)
	}
	for _, a := range g0 {
		g1, err := e.childParams(g.Matrix.Generators[1], a)
		if err != nil {
			return nil, fmt.Errorf("failed to get params for second generator in the matrix generator: %w", err)
		}
		for _, b := range g1 {
			if e.appSet.Spec.GoTemplate {
				tmp := map[string]any{}
				if err := mergo.Merge(&tmp, b, mergo.WithOverride); err != nil {
					return nil, fmt.Errorf("failed to merge params from the second generator in the matrix generator with temp map: %w", err)
				}
				if err := mergo.Merge(&tmp, a, mergo.WithOverride); err != nil {
					return nil, fmt.Errorf("failed to merge params from the second generator in the matrix generator with the first: %w", err)
				}
				res = append(res, tmp)
			} else {
				val, err := combineStringMaps(a, b)
				if err != nil {
					return nil, fmt.Errorf("failed to combine string maps with merging params for the matrix generator: %w", err)
				}
				res = append(res, val)
			}
		}
	}
	return res, nil
}

// combineStringMaps: utils/map.go CombineStringMaps.
func combineStringMaps(a, b map[string]any) (map[string]any, error) {
	res := map[string]any{}
	for k, v := range a {
		res[k] = fmt.Sprintf("%v", v)
	}
	for k, bv := range b {
		v := fmt.Sprintf("%v", bv)
		current, present := res[k]
		if present && current != v {
			return nil, fmt.Errorf("found duplicate key %s with different value, a: %s ,b: %s", k, current, v)
		}
		res[k] = v
	}
	return res, nil
}

func (e *expander) nestedToGenerator(n v1alpha1.ApplicationSetNestedGenerator) (v1alpha1.ApplicationSetGenerator, error) {
	gen := v1alpha1.ApplicationSetGenerator{List: n.List, Clusters: n.Clusters, Git: n.Git, SCMProvider: n.SCMProvider, PullRequest: n.PullRequest, Selector: n.Selector}
	if n.Matrix != nil {
		nested := v1alpha1.NestedMatrixGenerator{}
		if err := json.Unmarshal(n.Matrix.Raw, &nested); err != nil {
			return gen, err
		}
		gen.Matrix = nested.ToMatrixGenerator()
	}
	if n.Merge != nil {
		nested := v1alpha1.NestedMergeGenerator{}
		if err := json.Unmarshal(n.Merge.Raw, &nested); err != nil {
			return gen, fmt.Errorf("error converting to nested merge generator: %w", err)
		}
		gen.Merge = nested.ToMergeGenerator()
	}
	return gen, nil
}

// childParams: MatrixGenerator.getParams / MergeGenerator.getParams.
func (e *expander) childParams(n v1alpha1.ApplicationSetNestedGenerator, params map[string]any) ([]map[string]any, error) {
	gen, err := e.nestedToGenerator(n)
	if err != nil {
		return nil, err
	}
	if params == nil {
		params = map[string]any{}
	}
	t, err := e.transform(gen, v1alpha1.ApplicationSetTemplate{}, params)
	if err != nil {
		return nil, fmt.Errorf("child generator returned an error on parameter generation: %w", err)
	}
	if len(t) == 0 {
		return nil, errors.New("child generator generated no parameters")
	}
	if len(t) > 1 {
		return nil, errMoreThenOneInnerGenerators
	}
	return t[0].Params, nil
}

// mergeParams: generators/merge.go (the merged sets come out of a map in Argo CD: unordered).
func (e *expander) mergeParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.Merge == nil {
		return nil, errEmptyAppSetGenerator
	}
	if len(g.Merge.Generators) < 2 {
		return nil, errLessThanTwoGeneratorsInMerge
	}
	var sets [][]map[string]any
	for i, child := range g.Merge.Generators {
		ps, err := e.childParams(child, nil)
		if err != nil {
			return nil, fmt.Errorf("error getting param sets from generators: %w", fmt.Errorf("error getting params from generator %d of %d: %w", i+1, len(g.Merge.Generators), err))
		}
		sets = append(sets, ps)
	}
	base, order, err := paramSetsByMergeKey(g.Merge.MergeKeys, sets[0])
	if err != nil {
		return nil, fmt.Errorf("error getting param sets by merge key: %w", err)
	}
	for _, other := range sets[1:] {
		byKey, _, err := paramSetsByMergeKey(g.Merge.MergeKeys, other)
		if err != nil {
			return nil, fmt.Errorf("error getting param sets by merge key: %w", err)
		}
		for key, baseSet := range base {
			if override, ok := byKey[key]; ok {
				if e.appSet.Spec.GoTemplate {
					if err := mergo.Merge(&baseSet, override, mergo.WithOverride); err != nil {
						return nil, fmt.Errorf("error merging base param set with override param set: %w", err)
					}
				} else {
					maps.Copy(baseSet, override)
				}
				base[key] = baseSet
			}
		}
	}
	out := make([]map[string]any, 0, len(base))
	for _, k := range order {
		out = append(out, base[k])
	}
	return out, nil
}

func paramSetsByMergeKey(mergeKeys []string, sets []map[string]any) (map[string]map[string]any, []string, error) {
	if len(mergeKeys) < 1 {
		return nil, nil, errNoMergeKeys
	}
	dedup := map[string]bool{}
	for _, k := range mergeKeys {
		dedup[k] = false
	}
	out := make(map[string]map[string]any, len(sets))
	var order []string
	for _, s := range sets {
		key := map[string]any{}
		for k := range dedup {
			key[k] = s[k]
		}
		j, err := json.Marshal(key)
		if err != nil {
			return nil, nil, fmt.Errorf("error marshalling param set key json: %w", err)
		}
		if _, exists := out[string(j)]; exists {
			return nil, nil, fmt.Errorf("%w. Duplicate key was %s", errNonUniqueParamSets, string(j))
		}
		out[string(j)] = s
		order = append(order, string(j))
	}
	return out, order, nil
}

// pullRequestParams: generators/pull_request.go over world.pullRequests.
func (e *expander) pullRequestParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.PullRequest == nil {
		return nil, errEmptyAppSetGenerator
	}
	if e.world.PullRequests == nil {
		return nil, badInput("world.pullRequests is not described")
	}
	type filter struct{ branch, target, title *regexp.Regexp }
	var filters []filter
	for _, f := range g.PullRequest.Filters {
		var out filter
		var err error
		if f.BranchMatch != nil {
			if out.branch, err = regexp.Compile(*f.BranchMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling BranchMatch regexp %q: %w", *f.BranchMatch, err))
			}
		}
		if f.TargetBranchMatch != nil {
			if out.target, err = regexp.Compile(*f.TargetBranchMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling TargetBranchMatch regexp %q: %w", *f.TargetBranchMatch, err))
			}
		}
		if f.TitleMatch != nil {
			if out.title, err = regexp.Compile(*f.TitleMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling TitleMatch regexp %q: %w", *f.TitleMatch, err))
			}
		}
		filters = append(filters, out)
	}
	var pulls []worldPullRequest
	for _, pr := range *e.world.PullRequests {
		if len(filters) == 0 {
			pulls = append(pulls, pr)
			continue
		}
		for _, f := range filters {
			if f.branch != nil && !f.branch.MatchString(pr.Branch) {
				continue
			}
			if f.target != nil && !f.target.MatchString(pr.TargetBranch) {
				continue
			}
			if f.title != nil && !f.title.MatchString(pr.Title) {
				continue
			}
			pulls = append(pulls, pr)
			break
		}
	}
	params := make([]map[string]any, 0, len(pulls))
	slug.MaxLength = 50
	slug.CustomSub = map[string]string{"_": "-"}
	for _, pull := range pulls {
		s8 := min(len(pull.HeadSha), 8)
		s7 := min(len(pull.HeadSha), 7)
		p := map[string]any{
			"number":             strconv.FormatInt(pull.Number, 10),
			"title":              pull.Title,
			"branch":             pull.Branch,
			"branch_slug":        slug.Make(pull.Branch),
			"target_branch":      pull.TargetBranch,
			"target_branch_slug": slug.Make(pull.TargetBranch),
			"head_sha":           pull.HeadSha,
			"head_short_sha":     pull.HeadSha[:s8],
			"head_short_sha_7":   pull.HeadSha[:s7],
			"author":             pull.Author,
		}
		if e.appSet.Spec.GoTemplate {
			p["labels"] = pull.Labels
		}
		if err := e.appendTemplatedValues(g.PullRequest.Values, p); err != nil {
			return nil, fmt.Errorf("failed to append templated values: %w", err)
		}
		params = append(params, p)
	}
	return params, nil
}

// scmParams: generators/scm_provider.go and services/scm_provider/utils.go ListRepos over
// world.scmRepositories (one entry a repository and branch).
func (e *expander) scmParams(g *v1alpha1.ApplicationSetGenerator) ([]map[string]any, error) {
	if g.SCMProvider == nil {
		return nil, errEmptyAppSetGenerator
	}
	if g.SCMProvider.Github == nil && g.SCMProvider.Gitlab == nil {
		return nil, errors.New("no SCM provider implementation configured")
	}
	if e.world.ScmRepositories == nil {
		return nil, badInput("world.scmRepositories is not described")
	}
	type filter struct {
		repo, label, branch *regexp.Regexp
		repoType            bool
	}
	var filters []filter
	for _, f := range g.SCMProvider.Filters {
		var out filter
		var err error
		if f.RepositoryMatch != nil {
			if out.repo, err = regexp.Compile(*f.RepositoryMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling RepositoryMatch regexp %q: %w", *f.RepositoryMatch, err))
			}
			out.repoType = true
		}
		if f.LabelMatch != nil {
			if out.label, err = regexp.Compile(*f.LabelMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling LabelMatch regexp %q: %w", *f.LabelMatch, err))
			}
			out.repoType = true
		}
		if f.BranchMatch != nil {
			if out.branch, err = regexp.Compile(*f.BranchMatch); err != nil {
				return nil, fmt.Errorf("error listing repos: %w", fmt.Errorf("error compiling BranchMatch regexp %q: %w", *f.BranchMatch, err))
			}
		}
		filters = append(filters, out)
	}
	match := func(r worldScmRepository, f filter) bool {
		if f.repo != nil && !f.repo.MatchString(r.Repository) {
			return false
		}
		if f.branch != nil && !f.branch.MatchString(r.Branch) {
			return false
		}
		if f.label != nil {
			found := false
			for _, l := range r.Labels {
				if f.label.MatchString(l) {
					found = true
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	var repoFilters, branchFilters []filter
	for _, f := range filters {
		if f.repoType {
			repoFilters = append(repoFilters, f)
		} else if f.branch != nil {
			branchFilters = append(branchFilters, f)
		}
	}
	var repos []worldScmRepository
	for _, r := range *e.world.ScmRepositories {
		if len(repoFilters) > 0 {
			ok := false
			for _, f := range repoFilters {
				if match(r, f) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		if len(branchFilters) > 0 {
			ok := false
			for _, f := range branchFilters {
				if match(r, f) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		repos = append(repos, r)
	}
	out := make([]map[string]any, 0, len(repos))
	for _, repo := range repos {
		s8 := min(len(repo.SHA), 8)
		s7 := min(len(repo.SHA), 7)
		id := repo.RepositoryID
		if f, ok := id.(float64); ok {
			id = int64(f)
		}
		p := map[string]any{
			"organization":     repo.Organization,
			"repository":       repo.Repository,
			"repository_id":    id,
			"url":              repo.URL,
			"branch":           repo.Branch,
			"sha":              repo.SHA,
			"short_sha":        repo.SHA[:s8],
			"short_sha_7":      repo.SHA[:s7],
			"labels":           strings.Join(repo.Labels, ","),
			"branchNormalized": sanitizeName(repo.Branch),
		}
		if err := e.appendTemplatedValues(g.SCMProvider.Values, p); err != nil {
			return nil, fmt.Errorf("failed to append templated values: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}
