// A small multi-environment repository, in Go (the TypeScript twin is ../../ts/multienv.ts).
package main

import (
	"os"

	"github.com/aws/jsii-runtime-go"
	argocd "github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	kplus "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

func main() {
	outdir := os.Getenv("OUTDIR")
	if outdir == "" {
		outdir = "gitops"
	}
	app := argocd.NewArgoCdApp(&argocd.ArgoCdAppProps{Outdir: jsii.String(outdir)})
	envs := []struct{ name, server string }{{"dev", "https://dev.k8s.example.com"}, {"prod", "https://prod.k8s.example.com"}}
	for _, env := range envs {
		chart := cdk8s.NewChart(app, jsii.String(env.name), nil)
		project := argocd.NewAppProject(chart, jsii.String("project"), &argocd.AppProjectProps{
			Name:         jsii.String("team-" + env.name),
			Description:  jsii.String("Team apps in " + env.name),
			SourceRepos:  jsii.Strings("https://github.com/myorg/*", "https://charts.example.com"),
			Destinations: &[]argocd.ProjectDestination{argocd.ProjectDestination_Server(jsii.String(env.server), jsii.String("*"))},
		})
		replicas := 1
		if env.name == "prod" {
			replicas = 3
		}
		argocd.NewApplication(chart, jsii.String("podinfo"), &argocd.ApplicationProps{
			Name:    jsii.String("podinfo-" + env.name),
			Project: project,
			Source: argocd.ApplicationSource_HelmChart(&argocd.HelmChartSourceOptions{
				RepoUrl:     jsii.String("https://charts.example.com"),
				Chart:       jsii.String("podinfo"),
				Version:     jsii.String("6.7.0"),
				ReleaseName: jsii.String("podinfo"),
				Values: argocd.HelmValues_FromObject(&map[string]interface{}{
					"replicaCount": replicas,
					"ui":           map[string]interface{}{"message": "hello " + env.name},
				}),
			}),
			Destination: argocd.Destination_Server(jsii.String(env.server), jsii.String("podinfo")),
			SyncPolicy: &argocd.SyncPolicy{
				Automated:   &argocd.AutomatedSync{Prune: jsii.Bool(true), SelfHeal: jsii.Bool(true)},
				SyncOptions: &[]argocd.SyncOption{argocd.SyncOption_CREATE_NAMESPACE()},
			},
		})
		argocd.NewApplicationSet(chart, jsii.String("services"), &argocd.ApplicationSetProps{
			Name: jsii.String("services-" + env.name),
			Generators: &[]argocd.ApplicationSetGenerator{argocd.ApplicationSetGenerator_List(&argocd.ListGeneratorOptions{
				Elements: &[]*map[string]interface{}{{"svc": "api"}, {"svc": "worker"}},
			})},
			Template: &argocd.ApplicationSetTemplate{
				Name:    jsii.String("{{svc}}-" + env.name),
				Project: project,
				Source: argocd.ApplicationSource_Git(&argocd.GitSourceOptions{
					RepoUrl:        jsii.String("https://github.com/myorg/services.git"),
					TargetRevision: jsii.String("main"),
					Path:           jsii.String("{{svc}}/" + env.name),
				}),
				Destination: argocd.Destination_Server(jsii.String(env.server), jsii.String("{{svc}}")),
			},
		})
		argocd.NewHookJob(chart, jsii.String("db-migrate"), &argocd.HookJobProps{
			Phase:          argocd.HookPhase_PRE_SYNC,
			DeletePolicies: &[]argocd.HookDeletePolicy{argocd.HookDeletePolicy_HOOK_SUCCEEDED},
			Wave:           jsii.Number(-1),
			Containers:     &[]*kplus.ContainerProps{{Image: jsii.String("myorg/migrate:1.4.2"), Command: jsii.Strings("./migrate", "up")}},
		})
		store := argocd.NewClusterSecretStore(chart, jsii.String("aws"), &argocd.ClusterSecretStoreProps{
			Provider: argocd.SecretStoreProvider_AwsSecretsManager(&argocd.AwsProviderOptions{
				Region: jsii.String("eu-west-1"),
				Auth:   argocd.AwsAuth_ServiceAccount(&argocd.ServiceAccountReference{Name: jsii.String("external-secrets"), Namespace: jsii.String("external-secrets")}),
			}),
		})
		argocd.NewExternalSecret(chart, jsii.String("db"), &argocd.ExternalSecretProps{
			Namespace:       jsii.String("podinfo"),
			Store:           store,
			RefreshInterval: cdk8s.Duration_Hours(jsii.Number(1)),
			Data:            &[]*argocd.ExternalSecretData{{SecretKey: jsii.String("password"), RemoteKey: jsii.String(env.name + "/db"), Property: jsii.String("password")}},
		})
	}
	app.Synth()
}
