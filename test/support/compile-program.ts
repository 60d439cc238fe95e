// Type-checks programs written by `cdk8s-argocd import` with the TypeScript compiler, strictly,
// against the library's source (as a user's program would resolve `cdk8s-argocd`).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** Type-checks programs against the library's source; returns the diagnostics as text. */
export function compile(programs: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-compile-'));
  try {
    const files = programs.map((p, i) => {
      const f = path.join(dir, `program${i}`, 'main.ts');
      fs.mkdirSync(path.dirname(f));
      fs.writeFileSync(f, p);
      return f;
    });
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, skipLibCheck: true, noUnusedLocals: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler, esModuleInterop: true, types: [],
      paths: { 'cdk8s-argocd': [path.join(ROOT, 'lib', 'index.ts')], '*': [path.join(ROOT, 'node_modules', '*')] },
    });
    return files.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f))
      .map((d) => `${path.relative(dir, d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
