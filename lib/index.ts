export { Errors } from './errors';
export {
  OUTDIR_OVERRIDE_ENV, SYNTH_REPORT_ENV, SYNTH_BUNDLE_ENV, type ArgoCdAppProps,
  type SynthesizedFile, ArgoCdApp,
} from './app/argocd-app';
export * from './manifest-check';
export * from './app/output-directory';
export * from './app/testing';
export * from './argocd/project-ref';
export * from './argocd/destination';
export {
  SyncOption, type AutomatedSync, type RetryBackoff, type RetryPolicy,
  type ManagedNamespaceMetadata, type SyncPolicy,
} from './argocd/sync-policy';
export {
  HelmValues, type HelmParameter, type HelmFileParameter, type HelmOptions, type KustomizeReplica,
  type KustomizePatchTarget, type KustomizePatch, type KustomizeOptions, type JsonnetVariable,
  type DirectoryOptions, type PluginParameter, type PluginOptions, type SourceOptions,
  type GitSourceOptions, type HelmChartSourceOptions, type KustomizeSourceOptions,
  type PluginSourceOptions, ApplicationSource,
} from './argocd/application-source';
export {
  ApplicationFinalizer, type IgnoreDifference, type ApplicationSpecOptions, type ApplicationProps,
  Application,
} from './argocd/application';
export {
  type SourceHydratorOptions,
} from './argocd/source-hydrator';
export * from './argocd/app-project';
export {
  GpgVerificationMode, type GitIntegrityPolicy,
} from './argocd/source-integrity';
export * from './argocd/rbac';
export * from './argocd/sync-windows';
export * from './argocd/project-check';
export {
  GoTemplateOption, ApplicationsSyncPolicy, type ApplicationSetSyncPolicy, DeletionOrder,
  RollingSyncOperator, type RollingSyncMatchExpression, MaxUpdate, type RollingSyncStep,
  type AllAtOnceOptions, type RollingSyncOptions, ApplicationSetStrategy,
  type ApplicationSetIgnoreDifference, type PreservedFields, type ApplicationSetProps,
  ApplicationSet,
} from './argocd/application-set';
export {
  type ApplicationSetTemplate, type GeneratorTemplate,
} from './argocd/application-set-template';
export * from './argocd/generators/generator';
export * from './argocd/generators/generator-options';
export {
  type ListGeneratorOptions,
} from './argocd/generators/list';
export {
  type ClustersGeneratorOptions,
} from './argocd/generators/clusters';
export {
  type GitGeneratorOptions, type GitDirectoriesGeneratorOptions, type GitFilesGeneratorOptions,
} from './argocd/generators/git';
export {
  type ScmProviderCommonOptions, type GithubScmOptions, type GitlabScmOptions, type GiteaScmOptions,
  type BitbucketScmOptions, type BitbucketServerScmOptions, type AzureDevOpsScmOptions,
  type AwsCodeCommitTagFilter, type AwsCodeCommitScmOptions, ScmProvider, CloneProtocol,
  type ScmProviderFilter, type ScmProviderGeneratorOptions,
} from './argocd/generators/scm-provider';
export {
  type GithubPullRequestOptions, type GitlabPullRequestOptions, type GiteaPullRequestOptions,
  type BitbucketServerPullRequestOptions, type BitbucketPullRequestOptions,
  type AzureDevOpsPullRequestOptions, PullRequestProvider, type PullRequestFilter,
  type PullRequestGeneratorOptions,
} from './argocd/generators/pull-request';
export {
  type ClusterDecisionResourceGeneratorOptions,
} from './argocd/generators/cluster-decision-resource';
export {
  type PluginGeneratorOptions,
} from './argocd/generators/plugin';
export {
  LabelSelectorOperator, type LabelSelectorRequirement, type LabelSelector,
} from './argocd/generators/label-selector';
export {
  type SecretKeyRef, type ConfigMapKeyRef, type BasicAuth,
} from './argocd/generators/secret-ref';
export {
  ApplicationSetPreview, GitFileGlobbing, PreviewPullRequest, PreviewScmRepository, PreviewWorld,
} from './argocd/preview/application-set-preview';
export * from './sync/sync-wave';
export * from './sync/wave-policy';
export * from './sync/sync-plan';
export * from './sync/resource-options';
export * from './hooks/hook';
export * from './hooks/hook-job';
export * from './hooks/hook-annotation-check';
export * from './external-secrets/secret-store-provider';
export {
  SecretStoreKind, type ISecretStore, type StoreReferenceOptions, type SecretStoreOptions, type SecretStoreProps,
  type ClusterSecretStoreProps, SecretStore, ClusterSecretStore,
} from './external-secrets/secret-store';
export {
  ExternalSecretApiVersion, CreationPolicy, DeletionPolicy, ConversionStrategy, DecodingStrategy,
  MetadataPolicy, RefreshPolicy, TemplateMergePolicy, TemplateTarget, TemplateScope,
  type RemoteValueOptions, type ExternalSecretData, SecretKeyRewrite, type ExtractOptions,
  type FindOptions, SecretGeneratorKind, ExternalSecretDataFrom, type TemplateItem, TemplateFrom,
  type ExternalSecretTemplate, type ExternalSecretOptions, type ExternalSecretProps, ExternalSecret,
} from './external-secrets/external-secret';
export * from './external-secrets/cluster-external-secret';
export * from './external-secrets/push-secret';
export {
  PlaintextSecret, PlaintextSecretGuard, type SecretScanWaiver,
} from './external-secrets/plaintext-secret-guard';
export * from './repo/layout';
export * from './repo/gitops-repo';
export * from './repo/environment';
export * from './repo/app-deletion';
export * from './repo/versions';
export * from './fleet/cluster';
export * from './fleet/cluster-secret';
export * from './fleet/topologies/app-options';
export * from './fleet/topologies/argocd-instance';
export * from './fleet/topologies/fleet-application-set';
export {
  type FleetTopologyProps, FleetTopology,
} from './fleet/topologies/fleet-topology';
export * from './fleet/topologies/hub-and-spoke';
export * from './fleet/topologies/instance-per-cluster';
export * from './fleet/topologies/instance-per-group';
export * from './fleet/topologies/cockpit-and-fleet';
export * from './notifications/notification-service';
export * from './notifications/notifications-config';
export * from './notifications/subscription';
export * from './validation/crd-schema-validator';
export * as l1 from '../imports';
