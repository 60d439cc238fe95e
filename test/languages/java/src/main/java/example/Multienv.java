// A small multi-environment repository, in Java (the TypeScript twin is test/languages/ts/multienv.ts).
package example;

import io.github.cdk8sargocd.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.Chart;
import org.cdk8s.Duration;
import org.cdk8s.plus28.ContainerProps;

public final class Multienv {
    public static void main(String[] args) {
        String outdir = System.getenv().getOrDefault("OUTDIR", "gitops");
        ArgoCdApp app = new ArgoCdApp(ArgoCdAppProps.builder().outdir(outdir).build());
        Map<String, String> envs = new LinkedHashMap<>();
        envs.put("dev", "https://dev.k8s.example.com");
        envs.put("prod", "https://prod.k8s.example.com");
        for (Map.Entry<String, String> e : envs.entrySet()) {
            String env = e.getKey();
            String server = e.getValue();
            Chart chart = new Chart(app, env);
            AppProject project = AppProject.Builder.create(chart, "project")
                .name("team-" + env)
                .description("Team apps in " + env)
                .sourceRepos(List.of("https://github.com/myorg/*", "https://charts.example.com"))
                .destinations(List.of(ProjectDestination.server(server, "*")))
                .build();
            Map<String, Object> ui = new LinkedHashMap<>();
            ui.put("message", "hello " + env);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("replicaCount", env.equals("prod") ? 3 : 1);
            values.put("ui", ui);
            Application.Builder.create(chart, "podinfo")
                .name("podinfo-" + env)
                .project(project)
                .source(ApplicationSource.helmChart(HelmChartSourceOptions.builder()
                    .repoUrl("https://charts.example.com").chart("podinfo").version("6.7.0").releaseName("podinfo")
                    .values(HelmValues.fromObject(values)).build()))
                .destination(Destination.server(server, "podinfo"))
                .syncPolicy(SyncPolicy.builder()
                    .automated(AutomatedSync.builder().prune(true).selfHeal(true).build())
                    .syncOptions(List.of(SyncOption.CREATE_NAMESPACE)).build())
                .build();
            ApplicationSet.Builder.create(chart, "services")
                .name("services-" + env)
                .generators(List.of(ApplicationSetGenerator.list(ListGeneratorOptions.builder()
                    .elements(List.of(Map.of("svc", "api"), Map.of("svc", "worker"))).build())))
                .template(ApplicationSetTemplate.builder()
                    .name("{{svc}}-" + env)
                    .project(project)
                    .source(ApplicationSource.git(GitSourceOptions.builder()
                        .repoUrl("https://github.com/myorg/services.git").targetRevision("main").path("{{svc}}/" + env).build()))
                    .destination(Destination.server(server, "{{svc}}"))
                    .build())
                .build();
            HookJob.Builder.create(chart, "db-migrate")
                .phase(HookPhase.PRE_SYNC)
                .deletePolicies(List.of(HookDeletePolicy.HOOK_SUCCEEDED))
                .wave(-1)
                .containers(List.of(ContainerProps.builder().image("myorg/migrate:1.4.2").command(List.of("./migrate", "up")).build()))
                .build();
            ClusterSecretStore store = ClusterSecretStore.Builder.create(chart, "aws")
                .provider(SecretStoreProvider.awsSecretsManager(AwsProviderOptions.builder()
                    .region("eu-west-1")
                    .auth(AwsAuth.serviceAccount(ServiceAccountReference.builder().name("external-secrets").namespace("external-secrets").build()))
                    .build()))
                .build();
            ExternalSecret.Builder.create(chart, "db")
                .namespace("podinfo")
                .store(store)
                .refreshInterval(Duration.hours(1))
                .data(List.of(ExternalSecretData.builder().secretKey("password").remoteKey(env + "/db").property("password").build()))
                .build();
        }
        app.synth();
    }
}
