// A synth-time error of the library, as a Java user sees it: the message names the construct path,
// the field, the bad value and the method to call.
package example;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.github.cdk8sargocd.*;
import java.nio.file.Files;
import java.util.List;
import org.cdk8s.Chart;
import org.junit.Test;

public class SynthErrorTest {
    @Test
    public void sourceRepoNotPermitted() throws Exception {
        ArgoCdApp app = new ArgoCdApp(ArgoCdAppProps.builder().outdir(Files.createTempDirectory("synth-error").toString()).build());
        Chart chart = new Chart(app, "prod");
        AppProject project = AppProject.Builder.create(chart, "team-a")
            .sourceRepos(List.of("https://git.example.com/team-a/*"))
            .destinations(List.of(ProjectDestination.inCluster("team-a")))
            .build();
        Application.Builder.create(chart, "api")
            .project(project)
            .source(ApplicationSource.git(GitSourceOptions.builder().repoUrl("https://git.example.com/other/x.git").path("deploy").build()))
            .destination(Destination.inCluster("team-a"))
            .build();
        RuntimeException e = assertThrows(RuntimeException.class, app::synth);
        String want = "[prod/api/Resource] Application 'api' spec.source.repoURL 'https://git.example.com/other/x.git'"
            + " is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*);"
            + " add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())";
        assertTrue(e.getMessage(), e.getMessage().contains(want));
    }

    @Test
    public void waveMustBeAnInteger() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> SyncWave.of(1.5));
        assertTrue(e.getMessage(), e.getMessage().contains("sync wave must be an integer, got 1.5"));
    }
}
