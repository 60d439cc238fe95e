package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/argoproj/argo-cd/v3/util/glob"
	gobwas "github.com/gobwas/glob"
)

// project and validateProject: an AppProject's verdicts on an Application, and ValidateProject's
// verdict on the AppProject itself.
//
// The Argo CD functions that give them live in pkg/apis/application/v1alpha1 (app_project_types.go)
// and util/argo (argo.go), which import gitops-engine and cannot be linked (see
// gitops-engine-unavailable/go.mod). They are written here from a reading of Argo CD v3.5.1's code,
// on top of the Argo CD packages that can be linked: util/glob (Match and MatchStringInList, the
// latter calling util/regex, regexp2) is Argo CD's own code, called as Argo CD calls it.

// The AppProject fields the verdicts read (v1alpha1.AppProject, AppProjectSpec).
type projectDestination struct {
	Server    string `json:"server,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

type projectGroupKind struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
}

type projectClusterResource struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
}

type projectServiceAccount struct {
	Server                string `json:"server"`
	Namespace             string `json:"namespace,omitempty"`
	DefaultServiceAccount string `json:"defaultServiceAccount"`
}

type projectRole struct {
	Name     string   `json:"name"`
	Policies []string `json:"policies,omitempty"`
	Groups   []string `json:"groups,omitempty"`
}

type appProject struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace,omitempty"`
	} `json:"metadata"`
	Spec struct {
		SourceRepos                     []string                 `json:"sourceRepos,omitempty"`
		Destinations                    []projectDestination     `json:"destinations,omitempty"`
		SourceNamespaces                []string                 `json:"sourceNamespaces,omitempty"`
		ClusterResourceWhitelist        []projectClusterResource `json:"clusterResourceWhitelist,omitempty"`
		ClusterResourceBlacklist        []projectClusterResource `json:"clusterResourceBlacklist,omitempty"`
		NamespaceResourceWhitelist      []projectGroupKind       `json:"namespaceResourceWhitelist,omitempty"`
		NamespaceResourceBlacklist      []projectGroupKind       `json:"namespaceResourceBlacklist,omitempty"`
		PermitOnlyProjectScopedClusters bool                     `json:"permitOnlyProjectScopedClusters,omitempty"`
		DestinationServiceAccounts      []projectServiceAccount  `json:"destinationServiceAccounts,omitempty"`
		Roles                           []projectRole            `json:"roles,omitempty"`
	} `json:"spec"`
}

type appSource struct {
	RepoURL string `json:"repoURL"`
}

type application struct {
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace,omitempty"`
	} `json:"metadata"`
	Spec struct {
		Source         *appSource         `json:"source,omitempty"`
		Sources        []appSource        `json:"sources,omitempty"`
		Destination    projectDestination `json:"destination"`
		SourceHydrator *struct {
			DrySource  appSource `json:"drySource"`
			SyncSource struct {
				RepoURL string `json:"repoURL,omitempty"`
			} `json:"syncSource"`
		} `json:"sourceHydrator,omitempty"`
	} `json:"spec"`
}

// A registered cluster (v1alpha1.Cluster, as a cluster Secret gives it): server, name, project.
type cluster struct {
	Server  string `json:"server"`
	Name    string `json:"name"`
	Project string `json:"project,omitempty"`
}

type resourceQuestion struct {
	Group      string `json:"group"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Namespaced bool   `json:"namespaced"`
}

// v1alpha1 KubernetesInternalAPIServerAddr and KubernetesInClusterName.
const (
	inClusterServer = "https://kubernetes.default.svc"
	inClusterName   = "in-cluster"
)

func isDenyPattern(pattern string) bool { return strings.HasPrefix(pattern, "!") }

// app_project_types.go globMatch.
func projectGlobMatch(pattern, val string, allowNegation bool, separators ...rune) bool {
	if allowNegation && isDenyPattern(pattern) {
		return !glob.Match(pattern[1:], val, separators...)
	}
	if pattern == "*" {
		return true
	}
	return glob.Match(pattern, val, separators...)
}

// util/git git.go sshURLRegex, IsSSHURL, NormalizeGitURL.
var sshURLRegex = regexp.MustCompile("^(ssh://)?([^/:]*?)@[^@]+$")

func normalizeGitURL(repo string) string {
	repo = strings.ToLower(strings.TrimSpace(repo))
	if m := sshURLRegex.FindStringSubmatch(repo); len(m) > 2 {
		if !strings.HasPrefix(repo, "ssh://") {
			repo = strings.Replace(repo, ":", "/", 1)
			repo = "ssh://" + repo
		}
	}
	repo = strings.TrimSuffix(repo, ".git")
	u, err := url.Parse(repo)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.String(), "ssh://")
}

// AppProject.IsSourcePermitted.
func isSourcePermitted(proj *appProject, repoURL string) bool {
	src := normalizeGitURL(repoURL)
	any := false
	for _, repo := range proj.Spec.SourceRepos {
		var normalized string
		if isDenyPattern(repo) {
			normalized = "!" + normalizeGitURL(strings.TrimPrefix(repo, "!"))
		} else {
			normalized = normalizeGitURL(repo)
		}
		matched := projectGlobMatch(normalized, src, true, '/')
		if matched {
			any = true
		} else if isDenyPattern(normalized) {
			return false
		}
	}
	return any
}

// AppProject.isDestinationMatched, with Go's precedence of && over || kept as written there.
func isDestinationMatched(proj *appProject, dst projectDestination) bool {
	any := false
	for _, item := range proj.Spec.Destinations {
		nameMatched := dst.Name != "" && projectGlobMatch(item.Name, dst.Name, true)
		serverMatched := dst.Server != "" && projectGlobMatch(item.Server, dst.Server, true)
		nsMatched := projectGlobMatch(item.Namespace, dst.Namespace, true)
		matched := (serverMatched || nameMatched) && nsMatched
		switch {
		case matched:
			any = true
		case (!nameMatched && isDenyPattern(item.Name)) || (!serverMatched && isDenyPattern(item.Server)) && nsMatched:
			return false
		case !nsMatched && isDenyPattern(item.Namespace) && serverMatched:
			return false
		}
	}
	return any
}

// AppProject.IsDestinationPermitted, the project's clusters being those whose project is the
// AppProject's name (db.GetProjectClusters).
func isDestinationPermitted(proj *appProject, dest *cluster, namespace string, clusters []cluster) bool {
	if dest == nil {
		return false
	}
	dst := projectDestination{Server: dest.Server, Name: dest.Name, Namespace: namespace}
	matched := isDestinationMatched(proj, dst)
	if matched && proj.Spec.PermitOnlyProjectScopedClusters {
		for _, c := range clusters {
			if c.Project != proj.Metadata.Name {
				continue
			}
			if c.Name == dst.Name || c.Server == dst.Server {
				return true
			}
		}
		return false
	}
	return matched
}

// util/argo GetDestinationServer and GetDestinationCluster over a list of registered clusters (the
// cluster Secrets), with util/db's in-cluster fallbacks (GetCluster, GetClusterServersByName) and
// the in-cluster cluster enabled.
func destinationCluster(dest projectDestination, clusters []cluster) (*cluster, error) {
	if dest.Name != "" && dest.Server != "" {
		return nil, fmt.Errorf("application destination can't have both name and server defined: %s %s", dest.Name, dest.Server)
	}
	var server string
	switch {
	case dest.Server != "":
		server = strings.TrimRight(dest.Server, "/")
	case dest.Name != "":
		servers := []string{}
		for _, c := range clusters {
			if c.Name == dest.Name {
				servers = append(servers, c.Server)
			}
		}
		if len(servers) == 0 && dest.Name == inClusterName {
			servers = []string{inClusterServer}
		}
		if len(servers) == 0 {
			return nil, fmt.Errorf("there are no clusters with this name: %s", dest.Name)
		}
		if len(servers) > 1 {
			return nil, fmt.Errorf("there are %d clusters with the same name: [%s]", len(servers), strings.Join(servers, " "))
		}
		server = servers[0]
	default:
		return nil, errors.New("Destination server missing from app spec")
	}
	for i := range clusters {
		if clusters[i].Server == server {
			return &clusters[i], nil
		}
	}
	if server == inClusterServer {
		return &cluster{Server: inClusterServer, Name: inClusterName}, nil
	}
	if dest.Server != "" {
		return nil, fmt.Errorf("error getting cluster by server %q: cluster %q not found", dest.Server, server)
	}
	return nil, fmt.Errorf("error getting cluster by URL: cluster %q not found", server)
}

// isResourceInList and isNamedResourceInList (types.go): group, kind and name are
// filepath.Match patterns; an entry without a name names every object.
func resourceMatches(group, kind string, itemGroup, itemKind string) bool {
	if ok, err := filepath.Match(itemKind, kind); ok && err == nil {
		if ok, err := filepath.Match(itemGroup, group); ok && err == nil {
			return true
		}
	}
	return false
}

func isGroupKindNamePermitted(proj *appProject, r resourceQuestion) bool {
	if r.Namespaced {
		inList := func(list []projectGroupKind) bool {
			for _, item := range list {
				if resourceMatches(r.Group, r.Kind, item.Group, item.Kind) {
					return true
				}
			}
			return false
		}
		white := proj.Spec.NamespaceResourceWhitelist
		whitelisted := white == nil || len(white) != 0 && inList(white)
		blacklisted := len(proj.Spec.NamespaceResourceBlacklist) != 0 && inList(proj.Spec.NamespaceResourceBlacklist)
		return whitelisted && !blacklisted
	}
	inList := func(list []projectClusterResource) bool {
		for _, item := range list {
			if !resourceMatches(r.Group, r.Kind, item.Group, item.Kind) {
				continue
			}
			if item.Name == "" {
				return true
			}
			if ok, err := filepath.Match(item.Name, r.Name); ok && err == nil {
				return true
			}
		}
		return false
	}
	return inList(proj.Spec.ClusterResourceWhitelist) && !inList(proj.Spec.ClusterResourceBlacklist)
}

// AppProject.IsAppNamespacePermitted.
func isAppNamespacePermitted(proj *appProject, appNamespace, controllerNs string) bool {
	if appNamespace == "" || appNamespace == controllerNs {
		return true
	}
	return glob.MatchStringInList(proj.Spec.SourceNamespaces, appNamespace, glob.REGEXP)
}

type sourceVerdict struct {
	Field     string `json:"field"`
	RepoURL   string `json:"repoURL"`
	Permitted bool   `json:"permitted"`
}

type destinationVerdict struct {
	Cluster   *cluster `json:"cluster,omitempty"`
	Error     string   `json:"error,omitempty"`
	Permitted bool     `json:"permitted"`
}

type resourceVerdict struct {
	resourceQuestion
	Permitted bool `json:"permitted"`
}

func init() {
	register("project", op{
		source: libraries,
		what: "v1alpha1 app_project_types.go AppProject.IsSourcePermitted, isDestinationMatched, IsDestinationPermitted, " +
			"IsGroupKindNamePermitted, IsAppNamespacePermitted (types.go isResourceInList, isNamedResourceInList); " +
			"util/argo argo.go ValidatePermissions (which sources), GetDestinationServer, GetDestinationCluster; " +
			"util/git NormalizeGitURL; on Argo CD's own util/glob Match and MatchStringInList (util/regex, regexp2)",
		handle: func(raw json.RawMessage) (any, error) {
			var in struct {
				Project             appProject         `json:"project"`
				Application         *application       `json:"application"`
				Clusters            []cluster          `json:"clusters"`
				ControllerNamespace string             `json:"controllerNamespace"`
				Resources           []resourceQuestion `json:"resources"`
				NormalizeGitURL     []string           `json:"normalizeGitURL"`
			}
			if err := decode(raw, &in); err != nil {
				return nil, err
			}
			proj := &in.Project
			out := map[string]any{}
			if app := in.Application; app != nil {
				// the sources ValidatePermissions asks IsSourcePermitted about
				sources := []sourceVerdict{}
				ask := func(field, repo string) {
					sources = append(sources, sourceVerdict{field, repo, isSourcePermitted(proj, repo)})
				}
				switch {
				case app.Spec.SourceHydrator != nil:
					dry := app.Spec.SourceHydrator.DrySource.RepoURL
					ask("spec.sourceHydrator.drySource.repoURL", dry)
					sync := app.Spec.SourceHydrator.SyncSource.RepoURL
					if sync == "" {
						sync = dry
					}
					if sync != dry {
						ask("spec.sourceHydrator.syncSource.repoURL", sync)
					}
				case len(app.Spec.Sources) > 0:
					for i, s := range app.Spec.Sources {
						ask(fmt.Sprintf("spec.sources[%d].repoURL", i), s.RepoURL)
					}
				case app.Spec.Source != nil:
					ask("spec.source.repoURL", app.Spec.Source.RepoURL)
				}
				out["sources"] = sources
				d := destinationVerdict{}
				c, err := destinationCluster(app.Spec.Destination, in.Clusters)
				if err != nil {
					d.Error = err.Error()
				} else {
					d.Cluster = c
					d.Permitted = isDestinationPermitted(proj, c, app.Spec.Destination.Namespace, in.Clusters)
				}
				out["destination"] = d
				controllerNs := in.ControllerNamespace
				if controllerNs == "" {
					controllerNs = "argocd"
				}
				// util/glob.MatchStringInList panics on the entry '/' (it slices [1:0]): that is
				// Argo CD's answer too, given as the panic's text
				func() {
					defer func() {
						if r := recover(); r != nil {
							out["appNamespacePanic"] = fmt.Sprint(r)
						}
					}()
					out["appNamespacePermitted"] = isAppNamespacePermitted(proj, app.Metadata.Namespace, controllerNs)
				}()
			}
			resources := []resourceVerdict{}
			for _, r := range in.Resources {
				resources = append(resources, resourceVerdict{r, isGroupKindNamePermitted(proj, r)})
			}
			out["resources"] = resources
			if in.NormalizeGitURL != nil {
				normalized := []string{}
				for _, u := range in.NormalizeGitURL {
					normalized = append(normalized, normalizeGitURL(u))
				}
				out["normalizedGitURLs"] = normalized
			}
			return out, nil
		},
	})

	register("validateProject", op{
		source: libraries,
		what: "v1alpha1 app_project_types.go AppProject.ValidateProject (destinations, sourceNamespaces, sourceRepos, " +
			"role names, destinationServiceAccounts; roles' policies and groups and sync windows are not asked), " +
			"on gobwas/glob.Compile as it calls it",
		handle: func(raw json.RawMessage) (any, error) {
			var proj appProject
			if err := decode(raw, &proj); err != nil {
				return nil, err
			}
			if err := validateProject(&proj); err != nil {
				return nil, err
			}
			return map[string]any{"valid": true}, nil
		},
	})
}

// v1alpha1 app_project_types.go serviceAccountDisallowedCharSet.
const serviceAccountDisallowedCharSet = "!*[]{}\\/"

// v1alpha1 validateRoleName's rule.
var roleNameRegexp = regexp.MustCompile(`^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$`)

// AppProject.ValidateProject, in its order, with its texts (the gRPC status text of
// status.Errorf is "rpc error: code = <Code> desc = <text>").
func validateProject(proj *appProject) error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("rpc error: code = InvalidArgument desc = "+format, args...)
	}
	destKeys := map[string]bool{}
	for _, dest := range proj.Spec.Destinations {
		if dest.Name == "!*" {
			return invalid("name has an invalid format, '!*'")
		}
		if dest.Server == "!*" {
			return invalid("server has an invalid format, '!*'")
		}
		if dest.Namespace == "!*" {
			return invalid("namespace has an invalid format, '!*'")
		}
		key := fmt.Sprintf("%s/%s", dest.Server, dest.Namespace)
		if dest.Server == "" && dest.Name != "" {
			key = fmt.Sprintf("%s/%s", dest.Name, dest.Namespace)
		}
		if destKeys[key] {
			return invalid("destination '%s' already added", key)
		}
		destKeys[key] = true
	}
	srcNamespaces := map[string]bool{}
	for _, ns := range proj.Spec.SourceNamespaces {
		if srcNamespaces[ns] {
			return invalid("source namespace '%s' already added", ns)
		}
		srcNamespaces[ns] = true
	}
	srcRepos := map[string]bool{}
	for _, src := range proj.Spec.SourceRepos {
		if src == "!*" {
			return invalid("source repository has an invalid format, '!*'")
		}
		if srcRepos[src] {
			return invalid("source repository '%s' already added", src)
		}
		srcRepos[src] = true
	}
	roleNames := map[string]bool{}
	for _, role := range proj.Spec.Roles {
		if roleNames[role.Name] {
			return fmt.Errorf("rpc error: code = AlreadyExists desc = role '%s' already exists", role.Name)
		}
		if !roleNameRegexp.MatchString(role.Name) {
			return fmt.Errorf("rpc error: code = InvalidArgument desc = invalid role name '%s'. Must consist of alphanumeric characters, '-' or '_', and must start and end with an alphanumeric character", role.Name)
		}
		roleNames[role.Name] = true
	}
	accounts := map[string]bool{}
	for _, sa := range proj.Spec.DestinationServiceAccounts {
		if strings.Contains(sa.Server, "!") {
			return invalid("server has an invalid format, '%s'", sa.Server)
		}
		if strings.Contains(sa.Namespace, "!") {
			return invalid("namespace has an invalid format, '%s'", sa.Namespace)
		}
		if strings.Trim(sa.DefaultServiceAccount, " ") == "" || strings.ContainsAny(sa.DefaultServiceAccount, serviceAccountDisallowedCharSet) {
			return invalid("defaultServiceAccount has an invalid format, '%s'", sa.DefaultServiceAccount)
		}
		if _, err := gobwas.Compile(sa.Server); err != nil {
			return invalid("server has an invalid format, '%s'", sa.Server)
		}
		if _, err := gobwas.Compile(sa.Namespace); err != nil {
			return invalid("namespace has an invalid format, '%s'", sa.Namespace)
		}
		key := fmt.Sprintf("%s/%s", sa.Server, sa.Namespace)
		if accounts[key] {
			return invalid("destinationServiceAccount '%s' already added", key)
		}
		accounts[key] = true
	}
	return nil
}
