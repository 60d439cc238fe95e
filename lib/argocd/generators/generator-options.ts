import { GeneratorTemplate } from '../application-set-template';
import { LabelSelector } from './label-selector';

/**
 * Options every generator takes.
 */
export interface GeneratorOptions {
  /**
   * A post-selector (written as `selector` beside the generator): keeps only the parameter sets
   * whose (flattened) parameters match. Under fasttemplate the keys are flat parameter names such
   * as `metadata.labels.env`.
   *
   * @default - every parameter set is kept
   */
  readonly postSelector?: LabelSelector;

  /**
   * This generator's own template, merged over the ApplicationSet's template for its Applications.
   *
   * @default - the ApplicationSet's template alone
   */
  readonly template?: GeneratorTemplate;
}
