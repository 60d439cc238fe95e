// A synth-time error of the library, as a Go user sees it: the message names the construct path,
// the field, the bad value, and the method to call in its Go spelling.
package synth

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	argocd "github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

// panicOf runs f and returns what it panicked with, as text ("" when it did not panic).
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestSourceRepoNotPermitted(t *testing.T) {
	app := argocd.NewArgoCdApp(&argocd.ArgoCdAppProps{Outdir: jsii.String(t.TempDir())})
	chart := cdk8s.NewChart(app, jsii.String("prod"), nil)
	project := argocd.NewAppProject(chart, jsii.String("team-a"), &argocd.AppProjectProps{
		SourceRepos:  jsii.Strings("https://git.example.com/team-a/*"),
		Destinations: &[]argocd.ProjectDestination{argocd.ProjectDestination_InCluster(jsii.String("team-a"))},
	})
	argocd.NewApplication(chart, jsii.String("api"), &argocd.ApplicationProps{
		Project:     project,
		Source:      argocd.ApplicationSource_Git(&argocd.GitSourceOptions{RepoUrl: jsii.String("https://git.example.com/other/x.git"), Path: jsii.String("deploy")}),
		Destination: argocd.Destination_InCluster(jsii.String("team-a")),
	})
	msg := panicOf(func() { app.Synth() })
	want := "[prod/api/Resource] Application 'api' spec.source.repoURL 'https://git.example.com/other/x.git'" +
		" is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*);" +
		" add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())"
	if !strings.Contains(msg, want) {
		t.Fatalf("synth error:\n%s\nwant it to contain:\n%s", msg, want)
	}
}

func TestWaveMustBeAnInteger(t *testing.T) {
	msg := panicOf(func() { argocd.SyncWave_Of(jsii.Number(1.5)) })
	if !strings.Contains(msg, "sync wave must be an integer, got 1.5") {
		t.Fatalf("SyncWave_Of(1.5): %q, want it to contain %q", msg, "sync wave must be an integer, got 1.5")
	}
}
