// The README's first app, in Go (the TypeScript twin is ../../ts/quickstart.ts).
package main

import (
	"os"

	"github.com/aws/jsii-runtime-go"
	argocd "github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	outdir := os.Getenv("OUTDIR")
	if outdir == "" {
		outdir = "gitops"
	}
	app := argocd.NewArgoCdApp(&argocd.ArgoCdAppProps{Outdir: jsii.String(outdir)})
	chart := cdk8s.NewChart(app, jsii.String("apps"), nil)
	argocd.NewApplication(chart, jsii.String("guestbook"), &argocd.ApplicationProps{
		Project: argocd.AppProject_FromProjectName(chart, jsii.String("default"), jsii.String("default")),
		Source: argocd.ApplicationSource_Git(&argocd.GitSourceOptions{
			RepoUrl:        jsii.String("https://github.com/argoproj/argocd-example-apps.git"),
			TargetRevision: jsii.String("HEAD"),
			Path:           jsii.String("guestbook"),
		}),
		Destination: argocd.Destination_InCluster(jsii.String("guestbook")),
	})
	app.Synth()
}
