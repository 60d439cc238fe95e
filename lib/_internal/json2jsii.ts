// The code json2jsii generates for L1 bindings (what `cdk8s import` writes, and cdk8s-plus' own
// imports/k8s.js), and two rewrites of its conversions that give the same result with fewer copies.
// Both are applied to this project's own bindings when they are generated (scripts/import.mjs);
// other packages' bindings (cdk8s-plus') run as their packages ship them.

/**
 * json2jsii's filter of undefined values, as it writes it (the argument holds no parentheses):
 * `Object.entries(x).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})`,
 * which copies the object once per property.
 */
export const JSON2JSII_FILTER = /Object\.entries\(([^()]*)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\)/g;

/** One field of a conversion's object literal: `'<key>': <expression>,` on a line of its own. */
const FIELD = /^[ \t]*'([^'\\\n]*)': ([^\n]*),$/;

/** The names the rewritten conversions use. */
export interface DefinedFieldNames {
  /** The function that replaced the filter of the result (`definedOnly`). */
  readonly filter: string;
  /** The function that makes the new object (`plainObject`). */
  readonly factory: string;
  /** A local variable name the conversion does not use otherwise. */
  readonly temp: string;
  /** TypeScript: the type annotation of the result and of the variable (none for JavaScript). */
  readonly types?: { readonly result: string; readonly temp: string };
}

/**
 * Rewrites every conversion of an object type in `source` (`const result = { '<key>': <expression>,
 * ... }; // filter undefined values; return <filter>(result);`) to evaluate the same expressions in
 * the same order and assign each defined value to a new object as it goes: one object per level
 * instead of a literal and its copy, with the same keys in the same order (integer-like keys first,
 * as in both). A conversion whose literal is not in that form, or names a key twice or `__proto__`
 * (which a literal takes as the prototype), is left as it is.
 */
export function assignDefinedFields(source: string, names: DefinedFieldNames): string {
  const literal = new RegExp(
    `const result = \\{\\n((?:[ \\t]*'[^'\\\\\\n]*': [^\\n]*,\\n)*)[ \\t]*\\};\\n[ \\t]*// filter undefined values\\n([ \\t]*)return ${names.filter}\\(result\\);`,
    'g',
  );
  return source.replace(literal, (whole, fields: string, indent: string) => {
    const keys = new Set<string>();
    const assignments: string[] = [];
    for (const line of fields.split('\n').slice(0, -1)) {
      const f = FIELD.exec(line);
      if (!f || f[1] === '__proto__' || keys.has(f[1])) return whole;
      keys.add(f[1]);
      assignments.push(`${indent}${names.temp} = ${f[2]};\n${indent}if (${names.temp} !== undefined) result['${f[1]}'] = ${names.temp};\n`);
    }
    const t = names.types;
    return `const result${t ? `: ${t.result}` : ''} = ${names.factory}();\n`
      + `${indent}let ${names.temp}${t ? `: ${t.temp}` : ''};\n`
      + `${assignments.join('')}${indent}return result;`;
  });
}
