import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { _synthesizing } from '../_internal/synthesis';
import { SyncWave } from '../sync/sync-wave';
import { ArgoCdApp, SynthesizedFile, _renderTree, _toFiles } from './argocd-app';

/**
 * Testing utilities: cdk8s' `Testing`, with every check of this library.
 *
 * cdk8s' `Testing.synth(chart)` runs the construct validations only: the checks an `ArgoCdApp`
 * runs over the rendered objects (projects, hook annotations, plaintext Secrets, two objects in
 * one file, and those a `GitOpsRepo` or `addCheck()` adds) do not run under it, nor under a plain
 * cdk8s `App`. `ArgoCdTesting.synth(chart)` runs them all, as a synthesis of the chart's app does,
 * and writes nothing.
 *
 * @example
 * const chart = new Chart(Testing.app(), 'test');
 * new Application(chart, 'api', { ... });
 * expect(ArgoCdTesting.synth(chart)).toMatchObject([...]);
 */
export class ArgoCdTesting {
  /**
   * Runs every validation and check of the chart's app, as its synthesis would, then returns the
   * chart's manifests as cdk8s' `Testing.synth(chart)` does (in cdk8s' order).
   *
   * Under a plain cdk8s `App` (`Testing.app()`) the app is checked as an `ArgoCdApp` would be,
   * and sync waves are derived from dependencies as an `ArgoCdApp` derives them (the derivation is
   * installed on the app and stays there).
   *
   * @param chart the chart
   * @returns the chart's manifests
   * @throws ValidationError listing every failure, the same errors a synthesis would throw
   */
  public static synth(chart: Chart): any[] {
    ArgoCdTesting.synthFiles(chart);
    return chart.toJson();
  }

  /**
   * Runs every validation and check of `scope`'s app, as its synthesis would, and returns every
   * file the app would write, in memory (as `ArgoCdApp.synthFiles()` does).
   *
   * @param scope the app, or any construct of it
   * @returns every output file of the app, sorted by path
   * @throws ValidationError listing every failure, the same errors a synthesis would throw
   */
  public static synthFiles(scope: IConstruct): SynthesizedFile[] {
    const root = scope.node.root;
    if (ArgoCdApp.isArgoCdApp(root)) return (root as ArgoCdApp).synthFiles();
    if (!(root instanceof App)) {
      throw new ValidationError(`[${scope.node.path}] ArgoCdTesting: the root of this construct is not a cdk8s App; create the chart in an App (Testing.app() or new ArgoCdApp())`);
    }
    SyncWave.deriveFromDependencies(root);
    return _synthesizing(root, () => _toFiles(_renderTree(root, [])));
  }

  private constructor() {}
}
