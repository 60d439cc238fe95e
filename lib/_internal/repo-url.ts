// Which repository a URL names, for "is this Application's source this repository?" questions
// (the path check, the kinds check, `graph` and `preview` matching a URL to a local checkout).
//
// This is not Argo CD's `git.NormalizeGitURL` (lib/argocd/_glob.ts follows that one, because
// AppProject `sourceRepos` patterns are matched against its output): that keeps the transport, so
// to Argo CD `git@github.com:org/repo` and `https://github.com/org/repo` are two URLs with two sets
// of credentials. Both fetch the same Git repository, though, and that is what these checks ask.

/**
 * A URL reduced to what names the repository: no scheme, no user, no trailing `/` or `.git`, SCP
 * form (`git@host:org/repo`) read as `host/org/repo`, all lowercased (Git hosts match owner and
 * repository names case-insensitively, and Argo CD lowercases repository URLs when it compares
 * them). A port is kept: `host:2222/org/repo` may be another server than `host/org/repo`.
 */
export function repositoryIdentity(url: string): string {
  let u = String(url).trim();
  if (!u.includes('://')) {
    // Git's SCP-like syntax, `[user@]host:path`: recognized when no slash comes before the first colon
    const colon = u.indexOf(':');
    const slash = u.indexOf('/');
    if (colon > 0 && (slash < 0 || colon < slash)) u = `${u.slice(0, colon)}/${u.slice(colon + 1).replace(/^\/+/, '')}`;
  }
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]+@/, '');
  u = u.replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  return u.toLowerCase();
}

/** Whether two URLs name the same repository (see `repositoryIdentity`). */
export function sameRepository(a: string, b: string): boolean {
  return repositoryIdentity(a) === repositoryIdentity(b);
}
