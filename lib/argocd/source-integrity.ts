import { IConstruct } from 'constructs';
import { AppProjectSpecSourceIntegrity } from '../../imports/appproject-argoproj.io';
import { fail } from '../_internal/values';
import { repoGlobProblem } from './_project-rules';

/**
 * How Argo CD verifies the GnuPG signatures of a repository's commits (a source integrity policy's
 * `gpg.mode`, Argo CD 3.5).
 */
export enum GpgVerificationMode {
  /** Argo CD's strict verification: the history, not only the commit synced, must be signed by trusted keys. */
  STRICT = 'strict',
  /** The commit the revision points to must be signed by a trusted key (what `signatureKeys` checked). */
  HEAD = 'head',
  /** No signature is required of the repositories the policy matches. */
  NONE = 'none',
}

/**
 * A Git source integrity policy of an AppProject (`spec.sourceIntegrity.git.policies[]`, Argo CD
 * 3.5): which repositories it covers and how their commits are verified.
 */
export interface GitIntegrityPolicy {
  /** The repositories the policy applies to: URLs or globs, e.g. `https://github.com/myorg/*`. */
  readonly repos: string[];

  /** How commits are verified. */
  readonly gpgMode: GpgVerificationMode;

  /**
   * The GnuPG key IDs trusted to sign (they must be in Argo CD's keyring), hexadecimal.
   *
   * @default - none
   */
  readonly gpgKeys?: string[];
}

const KEY_ID = /^[0-9A-Fa-f]{8,40}$/;
const MODES = Object.values(GpgVerificationMode) as string[];

/**
 * Checks one policy; `field` is its place, e.g. `spec.sourceIntegrity.git.policies[0]`.
 *
 * @internal
 */
export function _checkGitIntegrityPolicy(scope: IConstruct, field: string, policy: GitIntegrityPolicy): void {
  if (!Array.isArray(policy.repos) || policy.repos.length === 0) {
    fail(scope, `${field}.repos`, policy.repos, 'is empty; list the repository URLs or globs the policy applies to, e.g. \'https://github.com/myorg/*\'');
  }
  policy.repos.forEach((url, i) => {
    const p = typeof url === 'string' && url.trim() !== '' ? repoGlobProblem(url) : 'must be a non-empty string';
    if (p) fail(scope, `${field}.repos[${i}].url`, url, p);
  });
  if (!MODES.includes(policy.gpgMode as string)) {
    fail(scope, `${field}.gpg.mode`, policy.gpgMode, `is not a verification mode; use GpgVerificationMode.STRICT, HEAD or NONE (${MODES.join(', ')})`);
  }
  const keys = policy.gpgKeys ?? [];
  keys.forEach((key, i) => {
    if (typeof key !== 'string' || !KEY_ID.test(key)) {
      fail(scope, `${field}.gpg.keys[${i}]`, key, 'is not a GnuPG key ID; use its 16 hexadecimal digits, e.g. \'4AEE18F83AFDEB23\'');
    }
    if (keys.indexOf(key) !== i) fail(scope, `${field}.gpg.keys[${i}]`, key, 'is already in the policy; list it once');
  });
}

/**
 * `spec.sourceIntegrity` for these policies, or undefined when there are none.
 *
 * @internal
 */
export function _renderSourceIntegrity(policies: readonly GitIntegrityPolicy[]): AppProjectSpecSourceIntegrity | undefined {
  if (policies.length === 0) return undefined;
  return {
    git: {
      policies: policies.map((p) => ({
        repos: p.repos.map((url) => ({ url })),
        gpg: { mode: p.gpgMode, keys: [...(p.gpgKeys ?? [])] },
      })),
    },
  };
}
