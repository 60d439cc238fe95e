import { describe, expect, it } from 'vitest';
import * as root from '../lib';

describe('package root', () => {
  it('exports no internal (underscore) symbol', () => {
    const internal = Object.keys(root).filter((name) => name.startsWith('_'));
    expect(internal).toEqual([]);
  });

  it('does not export the rendering and checking helpers the constructs use among themselves', () => {
    for (const name of ['addSyncOptionTo', 'checkValueFileRefs', 'renderLabelSelector', 'renderSyncPolicy']) {
      expect(Object.keys(root)).not.toContain(name);
    }
  });

  it('still exports the documented constructs', () => {
    for (const name of ['ArgoCdApp', 'Application', 'ApplicationSet', 'AppProject', 'SyncOption', 'LabelSelectorOperator', 'ExternalSecret', 'ClusterSecretStore', 'AppDeletion']) {
      expect(Object.keys(root)).toContain(name);
    }
  });
});
