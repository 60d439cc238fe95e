import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
// codemaker is jsii-pacmak's own case library: the Python target names methods with its toSnakeCase
import { toSnakeCase } from 'codemaker';
import { describe, expect, test } from 'vitest';
import * as lib from '../../lib';
import { goName, methodName, pythonName } from '../../lib/_internal/method-name';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** Every `methodName('...')` argument in the library's source. */
function namedMethods(): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf-8').matchAll(/methodName\('([^']+)'\)/g)) out.add(m[1]);
      }
    }
  };
  walk(LIB);
  return [...out].sort();
}

describe('methods named in messages', () => {
  const names = namedMethods();

  test('the library names methods through methodName()', () => {
    expect(names.length).toBeGreaterThan(20);
  });

  test.each(names)('%s: the Python spelling is jsii-pacmak\'s', (m) => {
    const name = m.slice(m.lastIndexOf('.') + 1);
    expect(pythonName(name)).toBe(toSnakeCase(name));
  });

  test.each(names)('%s exists', (m) => {
    const [owner, name] = m.includes('.') ? [m.slice(0, m.lastIndexOf('.')), m.slice(m.lastIndexOf('.') + 1)] : ['', m];
    const exported: Record<string, any> = { ...lib, Secret: plus.Secret };
    if (/^[A-Z]/.test(owner)) {
      const cls = exported[owner];
      // a static factory, or a method of instances of the class
      expect(typeof cls?.[name] === 'function' || typeof cls?.prototype?.[name] === 'function', `${owner}.${name}`).toBe(true);
    } else {
      const owners = Object.values(exported).filter((v) => typeof v === 'function' && typeof v.prototype?.[name] === 'function');
      expect(owners.length, name).toBeGreaterThan(0);
    }
  });

  test('spellings', () => {
    expect(methodName('addSourceRepo')).toBe('addSourceRepo() (Python: add_source_repo(), Go: AddSourceRepo())');
    expect(methodName('project.addSourceRepo')).toBe('project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())');
    expect(methodName('AppProject.fromProjectName')).toBe('AppProject.fromProjectName() (Python: AppProject.from_project_name(), Go: AppProject_FromProjectName())');
    expect(methodName('SyncWave.of')).toBe('SyncWave.of() (Go: SyncWave_Of())');
    expect(goName('addApp')).toBe('AddApp');
  });

  test('a synthesis error names the method in every language', () => {
    const app = new lib.ArgoCdApp({ outdir: '/tmp/unused-method-name' });
    const chart = new Chart(app, 'prod');
    const project = new lib.AppProject(chart, 'team-a', { sourceRepos: ['https://git.example.com/team-a/*'] });
    project.addDestination(lib.ProjectDestination.inCluster('team-a'));
    new lib.Application(chart, 'api', {
      project,
      source: lib.ApplicationSource.git({ repoUrl: 'https://git.example.com/other/x.git', path: 'deploy' }),
      destination: lib.Destination.inCluster('team-a'),
    });
    expect(() => app.synthFiles()).toThrow(
      "add it with project.addSourceRepo() (Python: project.add_source_repo(), Go: project.AddSourceRepo())");
  });
});
