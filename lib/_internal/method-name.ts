// A method named in a message, as the user of each jsii language writes it: Python spells a method
// in snake_case (`add_source_repo`), Go capitalizes it and joins a static method to its class with
// `_` (`AddSourceRepo`, `AppProject_FromProjectName`); Java and .NET keep the TypeScript name.

/** `name` in snake_case, as jsii-pacmak's Python target spells a method (decamelize's rule). */
export function pythonName(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1_$2')
    .toLowerCase();
}

/** `name` as jsii-pacmak's Go target spells a method: its first letter capitalized. */
export function goName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * A method as a message names it: `addSourceRepo()` becomes
 * `addSourceRepo() (Python: add_source_repo(), Go: AddSourceRepo())`, `AppProject.fromProjectName()`
 * becomes `AppProject.fromProjectName() (Python: AppProject.from_project_name(), Go:
 * AppProject_FromProjectName())`. `method` is `name` or `Class.name`, with an optional receiver
 * (`project.addSourceRepo`), which is kept only in the TypeScript and Python spellings. A name
 * that Python writes as TypeScript does shows only the Go spelling.
 */
export function methodName(method: string): string {
  const dot = method.lastIndexOf('.');
  const owner = dot < 0 ? '' : method.slice(0, dot);
  const name = method.slice(dot + 1);
  const isClass = /^[A-Z]/.test(owner);
  const py = `${owner ? owner + '.' : ''}${pythonName(name)}()`;
  const go = `${isClass ? owner + '_' : owner ? owner + '.' : ''}${goName(name)}()`;
  const ts = `${method}()`;
  return py === ts ? `${ts} (Go: ${go})` : `${ts} (Python: ${py}, Go: ${go})`;
}
