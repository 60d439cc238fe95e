import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ArgoCdApp } from '../../lib/app/argocd-app';
import { ExternalSecret } from '../../lib/external-secrets/external-secret';
import { PlaintextSecret, PlaintextSecretGuard } from '../../lib/external-secrets/plaintext-secret-guard';
import { ClusterSecretStore } from '../../lib/external-secrets/secret-store';

function app() {
  const a = new ArgoCdApp({ outdir: Testing.app().outdir });
  return { app: a, chart: new Chart(a, 'prod', { namespace: 'production' }) };
}

describe('PlaintextSecretGuard', () => {
  test('fails when a plain Secret has data', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' } });
    expect(() => a.synthFiles()).toThrowError("synthesis failed with 1 error:\n  [prod/db] Secret 'db' in namespace 'production' would be written to prod/secret_production_db.yaml with values in plain text: data (password); keep the values in a secret store and fetch them with an ExternalSecret, or, if they may be in Git, call PlaintextSecret.allow(secret, '<reason>')");
  });

  test('fails when a cdk8s-plus Secret gets stringData', () => {
    const { app: a, chart } = app();
    const secret = new kplus.Secret(chart, 'api', { metadata: { name: 'api-key' } });
    secret.addStringData('API_KEY', 'not-in-the-message');
    let message = '';
    try {
      a.synthFiles();
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toEqual("synthesis failed with 1 error:\n  [prod/api/Resource] Secret 'api-key' in namespace 'production' would be written to prod/secret_production_api-key.yaml with values in plain text: stringData (API_KEY); keep the values in a secret store and fetch them with an ExternalSecret, or, if they may be in Git, call PlaintextSecret.allow(secret, '<reason>')");
    expect(message).not.toContain('not-in-the-message');
  });

  test('passes a Secret allowed with a reason, and keeps the reason as an annotation', () => {
    const { app: a, chart } = app();
    const secret = new kplus.Secret(chart, 'ca', { metadata: { name: 'ca' }, stringData: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } });
    PlaintextSecret.allow(secret, 'public CA certificate, not a secret');
    const [file] = a.synthFiles();
    expect(file.manifest.metadata.annotations).toEqual({ 'cdk8s-argocd.io/plaintext-allowed-reason': 'public CA certificate, not a secret' });
    expect(file.manifest.stringData).toEqual({ 'ca.crt': '-----BEGIN CERTIFICATE-----' });
  });

  test('allow works on an ApiObject too', () => {
    const { app: a, chart } = app();
    const obj = new ApiObject(chart, 'x', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'Yg==' } });
    PlaintextSecret.allow(obj, 'test fixture');
    expect(a.synthFiles()[0].manifest.metadata.annotations[PlaintextSecret.ALLOWED_REASON_ANNOTATION]).toEqual('test fixture');
  });

  test('passes empty Secrets, a template for a controller to fill', () => {
    const { app: a, chart } = app();
    new kplus.Secret(chart, 'empty', { metadata: { name: 'filled-later' } });
    new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'raw' }, type: 'kubernetes.io/service-account-token', data: {} });
    expect(a.synthFiles().map((f) => f.path)).toEqual(['prod/secret_production_filled-later.yaml', 'prod/secret_production_raw.yaml']);
  });

  test('passes an ExternalSecret and its target Secret reference', () => {
    const { app: a, chart } = app();
    new ExternalSecret(chart, 'db', { store: ClusterSecretStore.fromName(chart, 's', 'aws'), data: [{ secretKey: 'password', remoteKey: 'db' }] });
    expect(a.synthFiles().map((f) => f.manifest.kind)).toEqual(['ExternalSecret']);
  });

  test('reports every offending Secret at once, and ignores other kinds', () => {
    const guard = new PlaintextSecretGuard();
    expect(guard.check([
      { manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, data: { k: 'dg==' }, stringData: { s: 'v' } }, constructPath: 'c/a', file: 'secret_a.yaml' },
      { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: 'v' } }, constructPath: 'c/b', file: 'configmap_b.yaml' },
      { manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', annotations: { [PlaintextSecret.ALLOWED_REASON_ANNOTATION]: ' ' } }, data: { k: 'dg==' } }, constructPath: 'c/c', file: 'secret_c.yaml' },
    ]).map((m) => m.split(';')[0])).toEqual([
      "[c/a] Secret 'a' would be written to secret_a.yaml with values in plain text: data (k) and stringData (s)",
      "[c/c] Secret 'c' would be written to secret_c.yaml with values in plain text: data (k)",
    ]);
  });

  test('fails when the reason is empty', () => {
    const chart = Testing.chart();
    const secret = new kplus.Secret(chart, 's');
    expect(() => PlaintextSecret.allow(secret, ' ')).toThrowError('[test/s] cdk8s-argocd.io/plaintext-allowed-reason " " is empty; give the reason the Secret may be written in plain text');
  });

  test('fails when allow is given something that is not a Secret', () => {
    const chart = Testing.chart();
    const cm = new kplus.ConfigMap(chart, 'cm');
    expect(() => PlaintextSecret.allow(cm, 'why')).toThrowError('[test/cm] PlaintextSecret.allow() needs a core Secret, got v1 ConfigMap');
  });
});
