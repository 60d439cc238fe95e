// `cdk8s-argocd import`: from Argo CD YAML to a program of constructs.
//
// 1. Read the objects; refuse any the plaintext-secret guard would refuse (a cluster Secret with
//    credentials points at the ESO registration the library has instead).
// 2. Write each object through its typed importer (Application, AppProject, ApplicationSet, the
//    External Secrets kinds, argocd-notifications-cm) or as an `ApiObject`; App of Apps roots with
//    an environment's shape as environments of a `GitOpsRepo`, image tags per environment as a
//    `Versions` table.
// 3. Run the program and compare what it synthesizes with the input, object by object: every
//    difference becomes a JSON patch on that object (the documented escape hatch), with a comment;
//    an object whose typed construct refuses it at synthesis is written as an `ApiObject` instead.
//    A root GitOpsRepo writes otherwise, or a repository whose checks refuse the program, is given
//    up: its roots are written as plain Applications.
// 4. With `check`, run the final program and compare again: any difference is reported.
import { scanObject } from '../external-secrets/_secret-scan';
import { SynthesizedObject, runProgram } from './_run';
import { diff, fieldName, sameValue } from './_diff';
import { InputObject, Unit, identity, plan, writeProgram } from './program';
import { AppOfApps, RepoPlan, appOfAppsRoots, repoPlan } from './structure';

/** How one object was imported. */
export interface ImportedObject {
  /** `file` or `file#document` when the file holds several. */
  readonly from: string;
  readonly kind: string;
  readonly name: string;
  /** The construct it is written as (`Application`, `AppProject`, `ApiObject`). */
  readonly as: string;
  /** Why it is an `ApiObject` although the library has a typed construct for it. */
  readonly fallback?: string;
  /** The fields written through JSON patches. */
  readonly patched: string[];
  /** The file the program writes it to, relative to its output directory. */
  readonly to?: string;
}

/** A difference between the input and what the written program synthesizes. */
export interface RoundTripDifference {
  readonly from: string;
  readonly what: string;
}

/** The result of an import. */
export interface ImportResult {
  /** The program's text (main.ts). */
  readonly program: string;
  readonly objects: ImportedObject[];
  /** Differences found by the round trip (only with `check`); empty when it agrees. */
  readonly differences: RoundTripDifference[];
  readonly checked: boolean;
  /** The App of Apps roots found, each with why it is written as plain Applications. */
  readonly structure: AppOfApps[];
}

/** An input the import refuses (plaintext credentials), or a program that does not synthesize. */
export class ImportError extends Error {}

const MAX_ROUNDS = 6;

/** Imports `inputs` and returns the program; with `check`, synthesizes it and compares. */
export async function importObjects(inputs: readonly InputObject[], options: { check?: boolean } = {}): Promise<ImportResult> {
  const allowed = refuseSecrets(inputs);
  if (inputs.length === 0) throw new ImportError('nothing to import: no Kubernetes object in the input');
  const units = plan(inputs);
  for (const u of units) {
    const reason = allowed.get(u.input);
    if (reason !== undefined) u.allowReason = reason;
  }
  const structure = appOfAppsRoots(inputs);
  let repo = repoPlan(structure, inputs);
  // a GitOpsRepo whose checks refuse the program, or whose roots it writes otherwise than the
  // input, is given up: its roots are written as plain Applications, with the reason
  const giveUp = (why: string, only?: readonly RepoPlan['environments'][number][]) => {
    for (const r of structure) {
      if (r.environment && r.reason === undefined && (!only || only.includes(r.environment))) r.reason = `the shape of a GitOpsRepo environment, but ${why}`;
    }
    const left = structure.filter((r) => r.environment && r.reason === undefined);
    repo = left.length > 0 && repo ? { ...repo, environments: repo.environments.filter((e) => left.some((r) => r.environment === e)) } : undefined;
  };
  let program = writeProgram(units, repo);
  let synthesized: SynthesizedObject[] | undefined;
  for (let round = 0; round < MAX_ROUNDS + 1 && synthesized === undefined; round++) {
    const run = await runProgram(program);
    if (run.ok) {
      synthesized = run.objects;
      const misfits = repo ? repo.environments.map((e) => {
        const u = units.find((x) => x.input === e.root)!;
        const out = synthesized!.find((o) => identity(o.manifest) === identity(u.input.manifest));
        return { e, fields: out ? diff(out.manifest, u.input.manifest).map((p) => fieldName(p.path)) : ['the whole object'] };
      }).filter((m) => m.fields.length > 0) : [];
      if (misfits.length === 0) break;
      for (const m of misfits) giveUp(`GitOpsRepo writes its root otherwise than the input holds it (${m.fields.join(', ')})`, [m.e]);
      synthesized = undefined;
      program = writeProgram(units, repo);
      continue;
    }
    // a typed construct refused its object: that object is written as it is instead
    const pathOf = (u: Unit) => `${u.chart.constructPath ?? u.chart.id}/${u.id}`;
    const culprits = units.filter((u) => u.fallback === undefined && u.how !== 'ApiObject' && u.how !== 'GitOpsRepo' && run.error.includes(pathOf(u)));
    if (culprits.length === 0 && repo) {
      giveUp(`the repository's checks refuse the program written with it: ${firstErrorLine(run.error)}`);
      program = writeProgram(units, repo);
      continue;
    }
    if (culprits.length === 0) throw new ImportError(`the written program does not synthesize:\n${run.error}`);
    for (const u of culprits) {
      const line = run.error.split('\n').find((l) => l.includes(pathOf(u))) ?? '';
      u.fallback = `${u.how} refuses it: ${line.trim().replace(/^(?:[A-Za-z]*Error: )?\[[^\]]*\]\s*/, '')}`;
    }
    program = writeProgram(units, repo);
  }
  if (synthesized === undefined) throw new ImportError('the written program does not synthesize after writing the refused objects as they are');

  // the differences become patches
  const matched = match(units, synthesized);
  for (const u of units) {
    const out = matched.get(u);
    if (!out) continue;
    const base = u.patches.filter((p) => p.path === '/metadata/name' && p.op === 'remove');
    u.patches = [...base, ...diff(base.length > 0 ? withoutName(out.manifest) : out.manifest, u.input.manifest)];
  }
  program = writeProgram(units, repo);

  const objects = units.map((u): ImportedObject => ({
    from: from(u.input),
    kind: String(u.input.manifest.kind),
    name: String(u.input.manifest.metadata?.name ?? u.input.manifest.metadata?.generateName ?? ''),
    as: u.how,
    ...(u.fallback ? { fallback: u.fallback } : {}),
    patched: u.patches.filter((p) => !(p.path === '/metadata/name' && p.op === 'remove')).map((p) => fieldName(p.path)),
    to: matched.get(u)?.file,
  }));
  if (!options.check) return { program, objects, differences: [], checked: false, structure };

  const run = await runProgram(program);
  if (!run.ok) throw new ImportError(`the written program does not synthesize:\n${run.error}`);
  return { program, objects, differences: compare(units, run.objects), checked: true, structure };
}

/** Compares the input objects with synthesized ones, object by object. */
export function compare(units: readonly Unit[], synthesized: readonly SynthesizedObject[]): RoundTripDifference[] {
  const differences: RoundTripDifference[] = [];
  const matched = match(units, synthesized);
  for (const u of units) {
    const out = matched.get(u);
    if (!out) {
      differences.push({ from: from(u.input), what: `${u.input.manifest.kind} ${identity(u.input.manifest)} is not synthesized` });
      continue;
    }
    if (!sameValue(out.manifest, u.input.manifest)) {
      const ops = diff(out.manifest, u.input.manifest);
      differences.push({ from: from(u.input), what: `${out.file} differs: ${ops.map((o) => `${fieldName(o.path)} (${o.op === 'add' ? 'missing' : o.op === 'remove' ? 'extra' : 'changed'})`).join(', ')}` });
    }
  }
  const used = new Set(matched.values());
  for (const s of synthesized) {
    if (!used.has(s)) differences.push({ from: s.file, what: `${s.manifest?.kind} ${identity(s.manifest)} is synthesized but not in the input` });
  }
  return differences;
}

function match(units: readonly Unit[], synthesized: readonly SynthesizedObject[]): Map<Unit, SynthesizedObject> {
  const byIdentity = new Map<string, SynthesizedObject[]>();
  for (const s of synthesized) {
    const k = identity(s.manifest);
    if (!byIdentity.has(k)) byIdentity.set(k, []);
    byIdentity.get(k)!.push(s);
  }
  const out = new Map<Unit, SynthesizedObject>();
  // an object with only generateName gets a name from cdk8s until its patch removes it: matched by its chart's directory, kind and order
  for (const u of units) {
    const m = u.input.manifest;
    let list = byIdentity.get(identity(m));
    if (m.metadata?.name === undefined) {
      list = synthesized.filter((s) => !([...out.values()].includes(s)) && s.manifest?.kind === m.kind && (s.file.startsWith(`${u.chart.directory}/`) || u.chart.directory === '.')
        && (s.manifest?.metadata?.name === undefined || s.manifest?.metadata?.generateName === m.metadata?.generateName));
    }
    const s = list?.find((x) => ![...out.values()].includes(x));
    if (s) out.set(u, s);
  }
  return out;
}

function withoutName(m: any): any {
  const copy = JSON.parse(JSON.stringify(m));
  if (copy.metadata) delete copy.metadata.name;
  return copy;
}

function from(i: InputObject): string {
  return `${i.file}#${i.document}`;
}

const ALLOWED_REASON = 'cdk8s-argocd.io/plaintext-allowed-reason';

/**
 * Refuses objects that hold credentials in plain text, as the synthesis would refuse them. A Secret
 * whose only finding is that it has values (a cluster registration that authenticates without a
 * secret, or one allowed by `PlaintextSecret.allow()`, whose annotation it carries) is allowed the
 * same way; the scan still reads its values. Returns the reasons of the Secrets allowed.
 */
function refuseSecrets(inputs: readonly InputObject[]): Map<InputObject, string> {
  const problems: string[] = [];
  const allowed = new Map<InputObject, string>();
  for (const i of inputs) {
    const m = i.manifest;
    const findings = scanObject(m, i.file);
    if (findings.length === 0) continue;
    const onlyValues = findings.every((f) => f.rule.split(/,\s*/).every((r) => r === 'kubernetes/secret-with-values'));
    const isCoreSecret = m.apiVersion === 'v1' && m.kind === 'Secret';
    const reason = m.metadata?.annotations?.[ALLOWED_REASON];
    const clusterSecret = m.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster';
    if (onlyValues && isCoreSecret && (typeof reason === 'string' && reason.trim() !== '' || clusterSecret)) {
      allowed.set(i, typeof reason === 'string' && reason.trim() !== '' ? reason : 'Argo CD cluster registration; the config authenticates without a secret (no token, password or key)');
      continue;
    }
    const where = `${from(i)} ${m.kind} '${m.metadata?.name ?? ''}'`;
    const fields = [...new Set(findings.map((f) => f.path))].join(', ');
    const isCluster = String(m.kind).toLowerCase() === 'secret' && m.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster';
    problems.push(isCluster
      ? `${where}: a cluster Secret with values in Git (${fields}) is not imported; register the cluster with a Cluster and env.registerCluster(cluster, { credentials: ClusterCredentials.bearerTokenFromStore({ store, remoteKey }) }), which writes an ExternalSecret so the token stays in the store (see the README's "A whole GitOps repository")`
      : `${where}: holds values in plain text (${fields}; ${[...new Set(findings.map((f) => f.rule))].join(', ')}) that the synthesis would refuse; keep them in a secret store and write an ExternalSecret instead (see the README's "External Secrets and the plaintext-secret guard")`);
  }
  if (problems.length > 0) throw new ImportError(problems.join('\n'));
  return allowed;
}

/** The first line of a failed synthesis that says what is wrong. */
function firstErrorLine(error: string): string {
  const lines = error.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return (lines.find((l) => l.startsWith('[')) ?? lines.find((l) => /^[A-Za-z]*Error: /.test(l)) ?? lines[0] ?? 'an error').replace(/^(?:[A-Za-z]*Error: )?/, '');
}
