# A synth-time error of the library, as a Python user sees it: the message names the construct
# path, the field, the bad value, and the method to call in its Python spelling.
import tempfile
import unittest

from cdk8s import Chart
from cdk8s_argocd import AppProject, Application, ApplicationSource, ArgoCdApp, Destination, ProjectDestination


class SynthErrorTest(unittest.TestCase):
    def test_source_repo_not_permitted(self):
        app = ArgoCdApp(outdir=tempfile.mkdtemp())
        chart = Chart(app, "prod")
        project = AppProject(chart, "team-a",
            source_repos=["https://git.example.com/team-a/*"],
            destinations=[ProjectDestination.in_cluster("team-a")])
        Application(chart, "api",
            project=project,
            source=ApplicationSource.git(repo_url="https://git.example.com/other/x.git", path="deploy"),
            destination=Destination.in_cluster("team-a"))
        with self.assertRaises(Exception) as caught:
            app.synth()
        self.assertIn(
            "[prod/api/Resource] Application 'api' spec.source.repoURL 'https://git.example.com/other/x.git'"
            " is not permitted by project 'team-a' (sourceRepos: https://git.example.com/team-a/*);"
            " add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())",
            str(caught.exception))

    def test_wave_must_be_an_integer(self):
        from cdk8s_argocd import SyncWave
        with self.assertRaises(Exception) as caught:
            SyncWave.of(1.5)
        self.assertIn("sync wave must be an integer, got 1.5", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
