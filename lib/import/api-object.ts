// Any other object as it is: `new ApiObject(chart, id, {...})` with the object's own fields, its
// sync wave and hook annotations written through `SyncWave` and `Hook`.
import { ImportContext, ImportedConstruct } from './_context';
import { HOOK_ANNOTATIONS, hookOptions, hookStatement, integerWave } from './metadata';

/** `ApiObject` props for `obj`, with the typed calls for its Argo CD annotations. */
export function importApiObject(ctx: ImportContext, obj: any): ImportedConstruct {
  ctx.imports.use('cdk8s', 'ApiObject');
  const metadata = obj.metadata !== null && typeof obj.metadata === 'object' ? { ...obj.metadata } : obj.metadata;
  const annotations = metadata?.annotations;
  let after: ((v: string) => string[]) | undefined;
  if (annotations && typeof annotations === 'object' && !Array.isArray(annotations) && Object.values(annotations).every((x) => typeof x === 'string')) {
    const rest: { [k: string]: string } = { ...annotations };
    const wave = integerWave(rest[HOOK_ANNOTATIONS.SYNC_WAVE]);
    const hook = hookOptions(rest);
    if (wave !== undefined) delete rest[HOOK_ANNOTATIONS.SYNC_WAVE];
    if (hook) {
      delete rest[HOOK_ANNOTATIONS.HOOK];
      delete rest[HOOK_ANNOTATIONS.HOOK_DELETE_POLICY];
      after = (v) => [hookStatement(ctx, hook, wave, v)];
    } else if (wave !== undefined) {
      const S = ctx.lib('SyncWave');
      after = (v) => [`${S}.of(${wave}).applyTo(${v});`];
    }
    if (Object.keys(rest).length > 0) metadata.annotations = rest;
    else delete metadata.annotations;
  }
  const props: { [k: string]: unknown } = { ...obj };
  if (metadata !== undefined) props.metadata = metadata;
  return { className: 'ApiObject', module: 'cdk8s', props, after };
}
