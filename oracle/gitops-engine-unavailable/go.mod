// An empty module under gitops-engine's path, so that the module graph of Argo CD v3.5.1 resolves.
// Argo CD v3.5.1 requires github.com/argoproj/argo-cd/gitops-engine at
// v0.7.1-0.20250908182407-97ad5b59a627 and replaces it with its own ./gitops-engine folder, which the
// module proxy does not ship with github.com/argoproj/argo-cd/v3 (a nested module); the proxy refuses
// that pseudo-version ("403 Forbidden: This module version is not available"). No package of this
// module exists, so any package of Argo CD that imports gitops-engine fails to build here instead of
// being imitated: the oracle links only Argo CD packages that do not import it (see oracle/README.md).
module github.com/argoproj/argo-cd/gitops-engine

go 1.26
