import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { repositoryIdentity, sameRepository } from '../../lib/_internal/repo-url';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/).filter((n) => !/\.git$/i.test(n) && !n.endsWith('.'));

/** The ways one repository is written in Argo CD Applications and git remotes. */
function spellings(host: string, owner: string, repo: string): string[] {
  return [
    `https://${host}/${owner}/${repo}`,
    `https://${host}/${owner}/${repo}.git`,
    `https://${host}/${owner}/${repo}/`,
    `https://${host.toUpperCase()}/${owner.toUpperCase()}/${repo}`,
    `http://user@${host}/${owner}/${repo}.git`,
    `git@${host}:${owner}/${repo}.git`,
    `${host}:${owner}/${repo}`,
    `ssh://git@${host}/${owner}/${repo}.git`,
    ` https://${host}/${owner}/${repo}.git `,
  ];
}

describe('repositoryIdentity', () => {
  test('every way of writing one repository names it (property)', () => {
    fc.assert(fc.property(label, label, name, (h, owner, repo) => {
      const host = `${h}.example.com`;
      const ids = new Set(spellings(host, owner, repo).map(repositoryIdentity));
      expect([...ids]).toEqual([`${host}/${owner}/${repo}`.toLowerCase()]);
    }), { numRuns: 300 });
  });

  test('different repositories, owners, hosts or ports stay different (property)', () => {
    fc.assert(fc.property(label, name, name, (owner, a, b) => {
      fc.pre(a.toLowerCase() !== b.toLowerCase());
      expect(sameRepository(`https://github.com/${owner}/${a}`, `git@github.com:${owner}/${b}.git`)).toBe(false);
      expect(sameRepository(`https://github.com/${owner}/${a}`, `https://gitlab.com/${owner}/${a}`)).toBe(false);
      expect(sameRepository(`ssh://git@git.example.com:2222/${owner}/${a}`, `https://git.example.com/${owner}/${a}`)).toBe(false);
    }), { numRuns: 200 });
  });

  test('examples', () => {
    expect(repositoryIdentity('git@github.com:Example/GitOps.git')).toBe('github.com/example/gitops');
    expect(repositoryIdentity('ssh://git@host:2222/org/repo.git')).toBe('host:2222/org/repo');
    expect(repositoryIdentity('https://user:token@github.com/org/repo/')).toBe('github.com/org/repo');
    expect(sameRepository('git@github.com:/org/repo', 'https://github.com/org/repo')).toBe(true);
  });
});
