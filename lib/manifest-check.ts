/**
 * One rendered object as the app is about to write it.
 */
export interface RenderedManifest {
  /**
   * The object, as it will be written (plain JSON).
   */
  readonly manifest: any;

  /**
   * The construct path of the `ApiObject` that produced it.
   */
  readonly constructPath: string;

  /**
   * The file the object is written to, relative to the output directory (`/` separators).
   */
  readonly file: string;
}

/**
 * A check that runs over every rendered object of an `ArgoCdApp` before anything is written.
 *
 * Checks see the final manifests, so they catch what any construct produced, including plain
 * `ApiObject`s and cdk8s-plus constructs.
 */
export interface IManifestCheck {
  /**
   * Returns one message for each problem found; an empty list when all is well.
   * Each message should start with `[<construct path>] `.
   *
   * @param manifests every object the app writes, in output order
   */
  check(manifests: RenderedManifest[]): string[];
}
