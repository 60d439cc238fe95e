// The README's first app, in Java (the TypeScript twin is test/languages/ts/quickstart.ts).
package example;

import io.github.cdk8sargocd.AppProject;
import io.github.cdk8sargocd.Application;
import io.github.cdk8sargocd.ApplicationSource;
import io.github.cdk8sargocd.ArgoCdApp;
import io.github.cdk8sargocd.ArgoCdAppProps;
import io.github.cdk8sargocd.Destination;
import io.github.cdk8sargocd.GitSourceOptions;
import org.cdk8s.Chart;

public final class Quickstart {
    public static void main(String[] args) {
        String outdir = System.getenv().getOrDefault("OUTDIR", "gitops");
        ArgoCdApp app = new ArgoCdApp(ArgoCdAppProps.builder().outdir(outdir).build());
        Chart chart = new Chart(app, "apps");
        Application.Builder.create(chart, "guestbook")
            .project(AppProject.fromProjectName(chart, "default", "default"))
            .source(ApplicationSource.git(GitSourceOptions.builder()
                .repoUrl("https://github.com/argoproj/argocd-example-apps.git").targetRevision("HEAD").path("guestbook").build()))
            .destination(Destination.inCluster("guestbook"))
            .build();
        app.synth();
    }
}
