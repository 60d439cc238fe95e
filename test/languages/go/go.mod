module example.com/cdk8s-argocd-languages

go 1.25

require (
	github.com/aws/constructs-go/constructs/v10 v10.8.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd v0.1.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.106
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 v2.5.6
)

// The package under test, as npm run package builds it; cdk8s, cdk8s-plus-28 and constructs as
// jsii-pacmak generates them from their npm packages (the Go module proxy reached from here does
// not serve cdk8s-core-go and cdk8s-plus-go).
replace (
	github.com/aws/constructs-go/constructs/v10 => ../../../node_modules/constructs/dist/go/constructs
	github.com/cdk8s-argocd/cdk8s-argocd-go/cdk8sargocd => ../../../dist/go/cdk8sargocd
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ../../../node_modules/cdk8s/dist/go/cdk8s
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 => ../../../node_modules/cdk8s-plus-28/dist/go/cdk8splus28
)
