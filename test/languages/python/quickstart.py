# The README's first app, in Python (the TypeScript twin is ../ts/quickstart.ts).
import os

from cdk8s import Chart
from cdk8s_argocd import AppProject, Application, ApplicationSource, ArgoCdApp, Destination

app = ArgoCdApp(outdir=os.environ.get("OUTDIR", "gitops"))
chart = Chart(app, "apps")
Application(chart, "guestbook",
    project=AppProject.from_project_name(chart, "default", "default"),
    source=ApplicationSource.git(repo_url="https://github.com/argoproj/argocd-example-apps.git", target_revision="HEAD", path="guestbook"),
    destination=Destination.in_cluster("guestbook"),
)
app.synth()
