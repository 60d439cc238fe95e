// The checks every synthesis runs, registered by the modules that define them: a check's module
// calls `_registerCheck()` when it loads, and the app layer asks for `_registeredChecks()` when it
// synthesizes, so that neither imports the other.
import { IConstruct } from 'constructs';
import { IManifestCheck } from '../manifest-check';

/**
 * Makes a check for the tree of `root` (a synthesis' root: an app).
 *
 * @internal
 */
export type _CheckFactory = (root: IConstruct) => IManifestCheck;

const registered = new Map<string, _CheckFactory>();

/**
 * Registers a check that every synthesis of an `ArgoCdApp` (and `ArgoCdTesting`) runs, after the
 * hook annotation check, in the order of registration. A second registration under the same
 * `name` replaces the first.
 *
 * @param name a name unique to the check, e.g. `project`
 * @param factory makes the check for one synthesis' tree
 * @internal
 */
export function _registerCheck(name: string, factory: _CheckFactory): void {
  registered.set(name, factory);
}

/**
 * One instance of every registered check, for the tree of `root`.
 *
 * @internal
 */
export function _registeredChecks(root: IConstruct): IManifestCheck[] {
  return [...registered.values()].map((make) => make(root));
}
