// `cdk8s-argocd diff`: what merging a change does in Argo CD. The base (a ref, by default the merge
// base with the default branch) is read through a temporary git worktree, the head is the working
// tree (or a ref, also through a worktree); both are synthesized (their committed output read where
// it is current), their ApplicationSets expanded, and the Applications and the manifests they apply
// compared. Exit 0 no change, 1 changes, 2 an error.
import * as path from 'path';
import { diffSides, hasChanges } from '../diff/repo-diff';
import { DiffSide } from '../diff/model';
import { UsageError } from './_app-runner';
import { DiffReport, diffSummary, formatMarkdown, formatText, toJson } from './_diff-format';
import { defaultBase, resolveCommit, withWorktree } from './_git-worktree';
import { loadSide } from './_diff-side';
import { CliIo, EXIT_ERROR, EXIT_FINDING, EXIT_OK, colorsFor, errorLine, summary, withProgress } from './_output';
import { gitCheckout } from './_repo';

/** Options of `diff`. */
export interface DiffOptions {
  /** The base ref; default the merge base with the default branch. */
  readonly base?: string;
  /** The head ref; default the working tree. */
  readonly head?: string;
  /** `text` (default), `json` or `markdown`. */
  readonly format?: string;
  /** Same as `format: 'json'`. */
  readonly json?: boolean;
  /** The app command; default `cdk8s.yaml`'s `app:` (on each side). */
  readonly app?: string;
}

const FORMATS = ['text', 'json', 'markdown'];

/** Runs `diff`; returns the exit code. */
export async function runDiff(io: CliIo, options: DiffOptions): Promise<number> {
  const format = options.json ? 'json' : options.format ?? 'text';
  try {
    if (!FORMATS.includes(format)) throw new UsageError(`--format ${format}: use ${FORMATS.join(', ')}`);
    const checkout = gitCheckout(io.cwd);
    if (!checkout) throw new UsageError(`${io.cwd} is not in a Git checkout: diff compares two states of a Git repository`);
    const root = checkout.root;
    const rel = path.relative(root, path.resolve(io.cwd));
    const base = options.base !== undefined ? { label: options.base, commit: resolveCommit(root, options.base) } : defaultBase(root);
    const head = options.head !== undefined ? { label: options.head, commit: resolveCommit(root, options.head) } : undefined;
    const common = { app: options.app, origin: checkout.origin };
    const atCommit = (side: { label: string; commit: string }, emptyWithoutApp: boolean) => withWorktree(root, side.commit, rel, (dir) => loadSide(io, { ...common, ...side, root: dir, cwd: path.join(dir, rel), emptyWithoutApp }));
    const [baseSide, headSide] = await withProgress(io, 'synthesizing base and head', () => Promise.all<DiffSide>([
      atCommit(base, true),
      head ? atCommit(head, false) : loadSide(io, { ...common, label: 'working tree', root, cwd: io.cwd, emptyWithoutApp: false }),
    ]));
    const report: DiffReport = { base: baseSide, head: headSide, diff: diffSides(baseSide, headSide) };
    const line = diffSummary(report);
    const changed = hasChanges(report.diff);
    if (format === 'json') io.stdout.write(`${JSON.stringify(toJson(report, line), null, 2)}\n`);
    else if (format === 'markdown') io.stdout.write(formatMarkdown(report, line));
    else {
      io.stdout.write(formatText(report, colorsFor(io.stdout, io.env)));
      summary(io, !changed, line);
    }
    return changed ? EXIT_FINDING : EXIT_OK;
  } catch (e: any) {
    if (format === 'json') io.stdout.write(`${JSON.stringify({ ok: false, error: e.message }, null, 2)}\n`);
    else errorLine(io, e.message);
    return EXIT_ERROR;
  }
}
