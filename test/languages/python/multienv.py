# A small multi-environment repository, in Python (the TypeScript twin is ../ts/multienv.ts).
import os

from cdk8s import Chart, Duration
from cdk8s_plus_28 import ContainerProps
from cdk8s_argocd import (
    AppProject, Application, ApplicationSet, ApplicationSetGenerator, ApplicationSource, ArgoCdApp,
    AwsAuth, ClusterSecretStore, Destination, ExternalSecret, ExternalSecretData, HelmValues, HookDeletePolicy, HookJob,
    HookPhase, ProjectDestination, SecretStoreProvider, SyncOption,
)

app = ArgoCdApp(outdir=os.environ.get("OUTDIR", "gitops"))
envs = {"dev": "https://dev.k8s.example.com", "prod": "https://prod.k8s.example.com"}
for env, server in envs.items():
    chart = Chart(app, env)
    project = AppProject(chart, "project",
        name=f"team-{env}",
        description=f"Team apps in {env}",
        source_repos=["https://github.com/myorg/*", "https://charts.example.com"],
        destinations=[ProjectDestination.server(server, "*")],
    )
    Application(chart, "podinfo",
        name=f"podinfo-{env}",
        project=project,
        source=ApplicationSource.helm_chart(
            repo_url="https://charts.example.com",
            chart="podinfo",
            version="6.7.0",
            release_name="podinfo",
            values=HelmValues.from_object({"replicaCount": 3 if env == "prod" else 1, "ui": {"message": f"hello {env}"}}),
        ),
        destination=Destination.server(server, "podinfo"),
        sync_policy={"automated": {"prune": True, "self_heal": True}, "sync_options": [SyncOption.CREATE_NAMESPACE]},
    )
    ApplicationSet(chart, "services",
        name=f"services-{env}",
        generators=[ApplicationSetGenerator.list(elements=[{"svc": "api"}, {"svc": "worker"}])],
        template={
            "name": f"{{{{svc}}}}-{env}",
            "project": project,
            "source": ApplicationSource.git(repo_url="https://github.com/myorg/services.git", target_revision="main", path=f"{{{{svc}}}}/{env}"),
            "destination": Destination.server(server, "{{svc}}"),
        },
    )
    HookJob(chart, "db-migrate",
        phase=HookPhase.PRE_SYNC,
        delete_policies=[HookDeletePolicy.HOOK_SUCCEEDED],
        wave=-1,
        containers=[ContainerProps(image="myorg/migrate:1.4.2", command=["./migrate", "up"])],
    )
    store = ClusterSecretStore(chart, "aws",
        provider=SecretStoreProvider.aws_secrets_manager(
            region="eu-west-1",
            auth=AwsAuth.service_account(name="external-secrets", namespace="external-secrets"),
        ),
    )
    ExternalSecret(chart, "db",
        namespace="podinfo",
        store=store,
        refresh_interval=Duration.hours(1),
        data=[ExternalSecretData(secret_key="password", remote_key=f"{env}/db", property="password")],
    )
app.synth()
