import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  globError, globMatch, globPanic, goPathMatch, isAppNamespacePermitted, isDestinationMatched, isSourcePermitted, matchStringInList, normalizeGitUrl,
  projectGlobMatch,
} from '../../lib/argocd/_glob';

// Hand-worked cases following gobwas/glob and Argo CD's project rules.
describe('gobwas/glob semantics', () => {
  test.each([
    // pattern, text, separators, expected
    ['*', 'anything/at/all', '', true],
    ['*', 'a/b', '/', false],
    ['**', 'a/b', '/', true],
    ['https://github.com/myorg/*', 'https://github.com/myorg/repo', '/', true],
    ['https://github.com/myorg/*', 'https://github.com/myorg/group/repo', '/', false],
    ['https://github.com/myorg/**', 'https://github.com/myorg/group/repo', '/', true],
    ['https://github.com/myorg/*', 'https://github.com/myorg/group/repo', '', true],
    ['a?c', 'abc', '', true],
    ['a?c', 'a/c', '/', false],
    ['a?c', 'a/c', '', true],
    ['[abc]x', 'bx', '', true],
    ['[abc]x', 'dx', '', false],
    ['[!abc]x', 'dx', '', true],
    ['[!abc]x', 'ax', '', false],
    ['[a-c]x', 'bx', '', true],
    ['[!a-c]x', 'bx', '', false],
    ['[a-c]x', '/x', '/', false],
    ['{dev,prod}-*', 'prod-eu', '', true],
    ['{dev,prod}-*', 'stage-eu', '', false],
    ['{a,{b,c}}', 'c', '', true],
    ['a{b,c', 'ac', '', true],
    ['a}b', 'a}b', '', true],
    ['a,b', 'a,b', '', true],
    ['\\*', '*', '', true],
    ['\\*', 'x', '', false],
    ['a.b', 'axb', '', false],
    ['prod', 'prod', '', true],
    ['prod', 'production', '', false],
    ['', '', '', true],
    ['', 'x', '', false],
    ['[]x', 'x', '', false],
    ['[!]x', 'yx', '', false],
    ['[z-a]', 'm', '', false],
    ['[abc', 'a', '', false],
  ])('%s matches %s (separators %s): %s', (pattern, text, seps, expected) => {
    expect(globMatch(pattern, text, seps)).toBe(expected);
  });

  test('an unterminated range is a compile error', () => {
    expect(globError('[abc')).toBe('unexpected end of input');
    expect(globError('[a-')).toBe('unexpected end of input');
    expect(globError('[a-bc]')).toBe('expected close range character');
    expect(globError('team-*')).toBeUndefined();
  });

  // gobwas/glob v0.2.3 syntax/ast parser.go parserRange, as Argo CD v3.5.1's util/glob compiles
  test('an empty class and a reversed range are compile errors', () => {
    expect(globError('[]x')).toBe('could not parse range');
    expect(globError('[!]x')).toBe('could not parse range');
    expect(globError('[z-a]')).toBe("hi character 'a' should be greater than lo 'z'");
  });

  test('negation in project patterns', () => {
    expect(projectGlobMatch('!kube-system', 'kube-system', true)).toBe(false);
    expect(projectGlobMatch('!kube-system', 'default', true)).toBe(true);
    expect(projectGlobMatch('!kube-*', 'kube-public', true)).toBe(false);
    // without negation '!' is a literal character
    expect(projectGlobMatch('!kube-system', '!kube-system', false)).toBe(true);
  });

  test('property: a pattern without special characters matches exactly itself', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9.:\/-]{0,20}$/), fc.stringMatching(/^[a-z0-9.:\/-]{0,20}$/), (a, b) => {
      expect(globMatch(a, b, '/')).toBe(a === b);
    }));
  });

  test('property: * never fails to compile and never throws', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (p, t) => {
      expect(typeof globMatch(p, t, '/')).toBe('boolean');
    }));
  });
});

describe('sourceRepos (IsSourcePermitted)', () => {
  const repos = ['https://github.com/myorg/*', '!https://github.com/myorg/secret', 'https://charts.example.com'];
  test.each([
    ['https://github.com/myorg/api', true],
    ['https://github.com/myorg/api.git', true],
    ['HTTPS://GitHub.com/MyOrg/Api.git', true],
    ['https://github.com/myorg/secret', false],
    ['https://github.com/myorg/secret.git', false],
    // as in Argo CD, a '!' entry that does not exclude the URL counts as a match, so with a deny
    // entry in the list every other URL is permitted
    ['https://github.com/other/api', true],
    ['https://charts.example.com', true],
    ['https://github.com/myorg/group/api', true],
  ])('%s: %s', (url, expected) => {
    expect(isSourcePermitted(repos, url)).toBe(expected);
  });

  test('without deny entries only matching URLs are permitted', () => {
    const allow = ['https://github.com/myorg/*'];
    expect(isSourcePermitted(allow, 'https://github.com/other/api')).toBe(false);
    expect(isSourcePermitted(allow, 'https://github.com/myorg/group/api')).toBe(false);
  });

  test('* permits everything; a deny pattern alone permits everything else; an empty list nothing', () => {
    expect(isSourcePermitted(['*'], 'https://x/y.git')).toBe(true);
    expect(isSourcePermitted(['!https://x/*'], 'https://y/z')).toBe(true);
    expect(isSourcePermitted(['!https://x/*'], 'https://x/z')).toBe(false);
    expect(isSourcePermitted([], 'https://y/z')).toBe(false);
  });

  test('scp-style SSH URLs are normalized', () => {
    expect(normalizeGitUrl('git@github.com:MyOrg/Repo.git')).toBe('git@github.com/myorg/repo');
    expect(normalizeGitUrl('ssh://git@github.com/myorg/repo.git')).toBe('git@github.com/myorg/repo');
    expect(isSourcePermitted(['git@github.com:myorg/*'], 'ssh://git@github.com/myorg/app.git')).toBe(true);
  });
});

describe('destinations (isDestinationMatched)', () => {
  test('server and namespace globs', () => {
    const d = [{ server: 'https://*.k8s.example.com', namespace: 'team-*' }];
    expect(isDestinationMatched(d, { server: 'https://eu.k8s.example.com', namespace: 'team-a' })).toBe(true);
    expect(isDestinationMatched(d, { server: 'https://eu.k8s.example.com', namespace: 'other' })).toBe(false);
    expect(isDestinationMatched(d, { name: 'eu', namespace: 'team-a' })).toBe(false);
  });

  // Argo CD v3.5.1 app_project_types.go isDestinationMatched: a denied server vetoes only where
  // the entry's namespace matches, a denied namespace only where the entry's server matches
  test('a denied server vetoes only where the namespace matches too', () => {
    const d = [{ server: '*', namespace: '*' }, { server: '!https://prod', namespace: 'team-*' }];
    expect(isDestinationMatched(d, { server: 'https://prod', namespace: 'team-a' })).toBe(false);
    expect(isDestinationMatched(d, { server: 'https://prod', namespace: 'default' })).toBe(true);
  });

  test('a denied namespace vetoes only where the server matched', () => {
    const d = [{ server: '*', namespace: '*' }, { server: 'https://prod', namespace: '!kube-*' }];
    expect(isDestinationMatched(d, { server: 'https://prod', namespace: 'kube-system' })).toBe(false);
    expect(isDestinationMatched(d, { server: 'https://dev', namespace: 'kube-system' })).toBe(true);
  });

  test('a denied name vetoes whatever the namespace (Go binds && before ||)', () => {
    const d = [{ server: '*', namespace: '*' }, { name: '!prod', namespace: 'team-*' }];
    expect(isDestinationMatched(d, { server: 'https://dev', name: 'dev', namespace: 'default' })).toBe(true);
    expect(isDestinationMatched(d, { server: 'https://prod', name: 'prod', namespace: 'default' })).toBe(false);
  });

  test('a deny entry excludes what another entry allows', () => {
    const d = [{ server: '*', namespace: '*' }, { server: '*', namespace: '!kube-system' }];
    expect(isDestinationMatched(d, { server: 'https://x', namespace: 'default' })).toBe(true);
    expect(isDestinationMatched(d, { server: 'https://x', namespace: 'kube-system' })).toBe(false);
  });

  test('a deny server entry excludes that server', () => {
    const d = [{ server: '*', namespace: '*' }, { server: '!https://prod', namespace: '*' }];
    expect(isDestinationMatched(d, { server: 'https://prod', namespace: 'a' })).toBe(false);
    expect(isDestinationMatched(d, { server: 'https://dev', namespace: 'a' })).toBe(true);
  });

  test('by name', () => {
    const d = [{ name: 'prod-*', namespace: 'payments' }];
    expect(isDestinationMatched(d, { name: 'prod-eu', namespace: 'payments' })).toBe(true);
    expect(isDestinationMatched(d, { name: 'dev-eu', namespace: 'payments' })).toBe(false);
  });

  test('an entry without namespace matches only an empty namespace', () => {
    const d = [{ server: '*' }];
    expect(isDestinationMatched(d, { server: 'https://x' })).toBe(true);
    expect(isDestinationMatched(d, { server: 'https://x', namespace: 'a' })).toBe(false);
  });
});

describe('sourceNamespaces (MatchStringInList with regexp)', () => {
  test('globs, regular expressions, no negation', () => {
    expect(matchStringInList(['team-*'], 'team-a')).toBe(true);
    expect(matchStringInList(['/^team-[a-c]$/'], 'team-b')).toBe(true);
    expect(matchStringInList(['/^team-[a-c]$/'], 'team-d')).toBe(false);
    expect(matchStringInList(['!team-a'], 'team-b')).toBe(false);
  });

  // answers of Argo CD v3.5.1 util/glob list.go MatchStringInList (util/regex.Match, regexp2)
  test('regular expressions are regexp2\'s: lookarounds and backreferences work, [[:alpha:]] is a plain class', () => {
    expect(matchStringInList(['/(?=team)/'], 'team-b')).toBe(true);
    expect(matchStringInList(['/^(?!kube-).*/'], 'team-b')).toBe(true);
    expect(matchStringInList(['/^(?!kube-).*/'], 'kube-x')).toBe(false);
    expect(matchStringInList(['/(a)\\1/'], 'aa')).toBe(true);
    expect(matchStringInList(['/(?i)^TEAM-[[:alpha:]]+$/'], 'team-b')).toBe(false);
    expect(matchStringInList(['/^team-[[:digit:]]$/'], 'team-b')).toBe(false);
  });

  test('an expression regexp2 refuses matches nothing as an expression, and is then tried as a glob', () => {
    expect(matchStringInList(['/team-(/'], 'team-b')).toBe(false);
    expect(matchStringInList(['/\\q/'], 'q')).toBe(false);
    expect(matchStringInList(['/*/'], '/x/')).toBe(true);
  });

  test('.NET-only syntax JavaScript cannot evaluate is left undecided', () => {
    expect(matchStringInList(['/(?>a+)b/'], 'aab')).toBeUndefined();
    expect(matchStringInList(["/(?'n'a)\\k'n'/"], 'aa')).toBeUndefined();
    expect(matchStringInList(['/(?>a+)b/', 'aab'], 'aab')).toBe(true);
  });

  test('Applications in the control-plane namespace are always permitted', () => {
    expect(isAppNamespacePermitted([], 'argocd', 'argocd')).toBe(true);
    expect(isAppNamespacePermitted([], undefined, 'argocd')).toBe(true);
    expect(isAppNamespacePermitted([], 'team-a', 'argocd')).toBe(false);
    expect(isAppNamespacePermitted(['team-*'], 'team-a', 'argocd')).toBe(true);
  });
});

describe('Go path.Match', () => {
  test.each([
    ['*', 'Deployment', true],
    ['Deploy*', 'Deployment', true],
    ['*', 'a/b', false],
    ['?', 'a', true],
    ['[a-c]', 'b', true],
    ['[^a-c]', 'b', false],
    ['\\*', '*', true],
    ['', '', true],
    ['apps', 'apps', true],
    ['apps', 'apps.x', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(goPathMatch(pattern, name)).toBe(expected);
  });

  test('malformed patterns are reported', () => {
    expect(goPathMatch('[', 'x')).toBeUndefined();
    expect(goPathMatch('[]', 'x')).toBeUndefined();
    expect(goPathMatch('a\\', 'a')).toBeUndefined();
    expect(goPathMatch('[z-a]', 'x')).toBeUndefined();
  });
});

// gobwas's Row matcher slices one byte past the end of a text its fixed-length parts used up when
// they end in a part of length 0 (an empty alternative, or a brace left open): Go panics there.
describe('patterns whose matcher panics', () => {
  test.each([
    // pattern, separators, the text found, the panic
    ['a{,}', '', 'a', 'runtime error: slice bounds out of range [1:2] with length 1'],
    ['https://kubernetes.default.svc{', '', 'https://kubernetes.default.svc', 'runtime error: slice bounds out of range [30:31] with length 30'],
    ['team-a{,}', '/', 'team-a', 'runtime error: slice bounds out of range [6:7] with length 6'],
    ['?{,}', '', 'x', 'runtime error: slice bounds out of range [1:2] with length 1'],
  ])('%j (separators %j) panics on %j', (pattern, separators, text, panic) => {
    expect(globPanic(pattern, separators)).toEqual({ text, panic });
    // the matcher itself panics on that text, as Argo CD's does
    expect(() => globMatch(pattern, text, separators)).toThrow(/panics/);
  });

  test.each(['*', 'team-*', 'a{,b}', '{a,}', 'x{,}y', '{}', 'https://github.com/myorg/*', '[abc'])('%j does not', (pattern) => {
    expect(globPanic(pattern)).toBeUndefined();
  });

  test('every panic of the matcher on a random text is found from the pattern alone', () => {
    const piece = fc.constantFrom('*', '?', '/', '{', '}', ',', '{,}', '{a,}', '{,a}', '{}', '[a-c]', '[!a]', 'a', 'ab', 'é', '\\{');
    const text = fc.array(fc.constantFrom('', 'a', 'b', 'ab', '/', 'é', 'x', '{', ','), { maxLength: 4 }).map((t) => t.join(''));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join('')), fc.array(text, { minLength: 1, maxLength: 10 }), fc.constantFrom('', '/'), (pattern, texts, separators) => {
      for (const t of texts) {
        let panicked = false;
        try {
          globMatch(pattern, t, separators);
        } catch (e) {
          panicked = /panics/.test((e as Error).message);
        }
        if (panicked) expect(globPanic(pattern, separators), JSON.stringify({ pattern, t, separators })).toBeDefined();
      }
    }), { numRuns: 3000, seed: 20261207 });
  });
});
