package v1alpha1

// Package v1alpha1: the ApplicationSet and Application types the expand op decodes and renders: the fields of
// Argo CD v3.5.1's pkg/apis/application/v1alpha1 (applicationset_types.go, types.go) that the
// ApplicationSet generators and the renderer read, with the same Go types, field order and JSON
// tags, because Argo CD renders by reflection over these types (field order decides generator
// order; omitempty decides what the rendered Application keeps). v1alpha1 itself imports
// gitops-engine and cannot be linked (see gitops-engine-unavailable/go.mod).

import (
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

type ApplicationSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ApplicationSetSpec `json:"spec"`
}

type ApplicationSetSpec struct {
	GoTemplate        bool                      `json:"goTemplate,omitempty"`
	Generators        []ApplicationSetGenerator `json:"generators"`
	Template          ApplicationSetTemplate    `json:"template"`
	SyncPolicy        *ApplicationSetSyncPolicy `json:"syncPolicy,omitempty"`
	GoTemplateOptions []string                  `json:"goTemplateOptions,omitempty"`
	TemplatePatch     *string                   `json:"templatePatch,omitempty"`
}

type ApplicationSetSyncPolicy struct {
	PreserveResourcesOnDeletion bool `json:"preserveResourcesOnDeletion,omitempty"`
}

type ApplicationSetTemplate struct {
	ApplicationSetTemplateMeta `json:"metadata"`
	Spec                       ApplicationSpec `json:"spec"`
}

type ApplicationSetTemplateMeta struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Finalizers  []string          `json:"finalizers,omitempty"`
}

type ApplicationSetGenerator struct {
	List        *ListGenerator        `json:"list,omitempty"`
	Clusters    *ClusterGenerator     `json:"clusters,omitempty"`
	Git         *GitGenerator         `json:"git,omitempty"`
	SCMProvider *SCMProviderGenerator `json:"scmProvider,omitempty"`
	PullRequest *PullRequestGenerator `json:"pullRequest,omitempty"`
	Matrix      *MatrixGenerator      `json:"matrix,omitempty"`
	Merge       *MergeGenerator       `json:"merge,omitempty"`
	Selector    *metav1.LabelSelector `json:"selector,omitempty"`
}

type ApplicationSetNestedGenerator struct {
	List        *ListGenerator        `json:"list,omitempty"`
	Clusters    *ClusterGenerator     `json:"clusters,omitempty"`
	Git         *GitGenerator         `json:"git,omitempty"`
	SCMProvider *SCMProviderGenerator `json:"scmProvider,omitempty"`
	PullRequest *PullRequestGenerator `json:"pullRequest,omitempty"`
	Matrix      *apiextensionsv1.JSON `json:"matrix,omitempty"`
	Merge       *apiextensionsv1.JSON `json:"merge,omitempty"`
	Selector    *metav1.LabelSelector `json:"selector,omitempty"`
}

type ApplicationSetTerminalGenerator struct {
	List        *ListGenerator        `json:"list,omitempty"`
	Clusters    *ClusterGenerator     `json:"clusters,omitempty"`
	Git         *GitGenerator         `json:"git,omitempty"`
	SCMProvider *SCMProviderGenerator `json:"scmProvider,omitempty"`
	PullRequest *PullRequestGenerator `json:"pullRequest,omitempty"`
	Selector    *metav1.LabelSelector `json:"selector,omitempty"`
}

type ListGenerator struct {
	Elements     []apiextensionsv1.JSON `json:"elements"`
	Template     ApplicationSetTemplate `json:"template,omitempty"`
	ElementsYaml string                 `json:"elementsYaml,omitempty"`
}

type MatrixGenerator struct {
	Generators []ApplicationSetNestedGenerator `json:"generators"`
	Template   ApplicationSetTemplate          `json:"template,omitempty"`
}

type NestedMatrixGenerator struct {
	Generators []ApplicationSetTerminalGenerator `json:"generators"`
}

type MergeGenerator struct {
	Generators []ApplicationSetNestedGenerator `json:"generators"`
	MergeKeys  []string                        `json:"mergeKeys"`
	Template   ApplicationSetTemplate          `json:"template,omitempty"`
}

type NestedMergeGenerator struct {
	Generators []ApplicationSetTerminalGenerator `json:"generators"`
	MergeKeys  []string                          `json:"mergeKeys"`
}

type ClusterGenerator struct {
	Selector metav1.LabelSelector   `json:"selector,omitempty"`
	Template ApplicationSetTemplate `json:"template,omitempty"`
	Values   map[string]string      `json:"values,omitempty"`
	FlatList bool                   `json:"flatList,omitempty"`
}

type GitGenerator struct {
	RepoURL         string                      `json:"repoURL"`
	Directories     []GitDirectoryGeneratorItem `json:"directories,omitempty"`
	Files           []GitFileGeneratorItem      `json:"files,omitempty"`
	Revision        string                      `json:"revision"`
	Template        ApplicationSetTemplate      `json:"template,omitempty"`
	PathParamPrefix string                      `json:"pathParamPrefix,omitempty"`
	Values          map[string]string           `json:"values,omitempty"`
}

type GitDirectoryGeneratorItem struct {
	Path    string `json:"path"`
	Exclude bool   `json:"exclude,omitempty"`
}

type GitFileGeneratorItem struct {
	Path    string `json:"path"`
	Exclude bool   `json:"exclude,omitempty"`
}

type SCMProviderGenerator struct {
	Github        *SCMProviderGeneratorGithub  `json:"github,omitempty"`
	Gitlab        *SCMProviderGeneratorGitlab  `json:"gitlab,omitempty"`
	Filters       []SCMProviderGeneratorFilter `json:"filters,omitempty"`
	CloneProtocol string                       `json:"cloneProtocol,omitempty"`
	Template      ApplicationSetTemplate       `json:"template,omitempty"`
	Values        map[string]string            `json:"values,omitempty"`
}

type SCMProviderGeneratorGithub struct {
	Organization string `json:"organization"`
	API          string `json:"api,omitempty"`
	AllBranches  bool   `json:"allBranches,omitempty"`
}

type SCMProviderGeneratorGitlab struct {
	Group       string `json:"group"`
	API         string `json:"api,omitempty"`
	AllBranches bool   `json:"allBranches,omitempty"`
}

type SCMProviderGeneratorFilter struct {
	RepositoryMatch *string  `json:"repositoryMatch,omitempty"`
	PathsExist      []string `json:"pathsExist,omitempty"`
	PathsDoNotExist []string `json:"pathsDoNotExist,omitempty"`
	LabelMatch      *string  `json:"labelMatch,omitempty"`
	BranchMatch     *string  `json:"branchMatch,omitempty"`
}

type PullRequestGenerator struct {
	Github   *PullRequestGeneratorGithub  `json:"github,omitempty"`
	GitLab   *PullRequestGeneratorGitLab  `json:"gitlab,omitempty"`
	Filters  []PullRequestGeneratorFilter `json:"filters,omitempty"`
	Template ApplicationSetTemplate       `json:"template,omitempty"`
	Values   map[string]string            `json:"values,omitempty"`
}

type PullRequestGeneratorGithub struct {
	Owner  string   `json:"owner"`
	Repo   string   `json:"repo"`
	API    string   `json:"api,omitempty"`
	Labels []string `json:"labels,omitempty"`
}

type PullRequestGeneratorGitLab struct {
	API     string   `json:"api,omitempty"`
	Project string   `json:"project"`
	Labels  []string `json:"labels,omitempty"`
}

type PullRequestGeneratorFilter struct {
	BranchMatch       *string `json:"branchMatch,omitempty"`
	TargetBranchMatch *string `json:"targetBranchMatch,omitempty"`
	TitleMatch        *string `json:"titleMatch,omitempty"`
}

// Application: metadata and spec (the status is never rendered).
type Application struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ApplicationSpec `json:"spec"`
}

type ApplicationSpec struct {
	Source               *ApplicationSource     `json:"source,omitempty"`
	Destination          ApplicationDestination `json:"destination"`
	Project              string                 `json:"project"`
	SyncPolicy           *SyncPolicy            `json:"syncPolicy,omitempty"`
	Info                 []Info                 `json:"info,omitempty"`
	RevisionHistoryLimit *int64                 `json:"revisionHistoryLimit,omitempty"`
	Sources              []ApplicationSource    `json:"sources,omitempty"`
}

type ApplicationSource struct {
	RepoURL        string                 `json:"repoURL"`
	Path           string                 `json:"path,omitempty"`
	TargetRevision string                 `json:"targetRevision,omitempty"`
	Helm           *ApplicationSourceHelm `json:"helm,omitempty"`
	Chart          string                 `json:"chart,omitempty"`
	Ref            string                 `json:"ref,omitempty"`
	Name           string                 `json:"name,omitempty"`
}

type ApplicationSourceHelm struct {
	ValueFiles   []string              `json:"valueFiles,omitempty"`
	Parameters   []HelmParameter       `json:"parameters,omitempty"`
	ReleaseName  string                `json:"releaseName,omitempty"`
	Values       string                `json:"values,omitempty" patchStrategy:"replace"`
	ValuesObject *runtime.RawExtension `json:"valuesObject,omitempty"`
}

type HelmParameter struct {
	Name        string `json:"name,omitempty"`
	Value       string `json:"value,omitempty"`
	ForceString bool   `json:"forceString,omitempty"`
}

type ApplicationDestination struct {
	Server    string `json:"server,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

type SyncPolicy struct {
	Automated   *SyncPolicyAutomated `json:"automated,omitempty"`
	SyncOptions []string             `json:"syncOptions,omitempty"`
}

type SyncPolicyAutomated struct {
	Prune    *bool `json:"prune,omitempty"`
	SelfHeal *bool `json:"selfHeal,omitempty"`
}

type Info struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func (m *NestedMatrixGenerator) ToMatrixGenerator() *MatrixGenerator {
	if m == nil {
		return nil
	}
	return &MatrixGenerator{Generators: terminalToNested(m.Generators)}
}

func (m *NestedMergeGenerator) ToMergeGenerator() *MergeGenerator {
	if m == nil {
		return nil
	}
	return &MergeGenerator{Generators: terminalToNested(m.Generators), MergeKeys: m.MergeKeys}
}

func terminalToNested(ts []ApplicationSetTerminalGenerator) []ApplicationSetNestedGenerator {
	out := make([]ApplicationSetNestedGenerator, len(ts))
	for i, t := range ts {
		out[i] = ApplicationSetNestedGenerator{List: t.List, Clusters: t.Clusters, Git: t.Git, SCMProvider: t.SCMProvider, PullRequest: t.PullRequest, Selector: t.Selector}
	}
	return out
}
