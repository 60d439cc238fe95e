import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoFloat, goTemplateFieldPaths, parseGoTemplateOptions, renderGoTemplate } from '../../../lib/argocd/preview/_gotemplate';

const DATA = {
  path: { path: 'apps/guestbook', basename: 'guestbook', segments: ['apps', 'guestbook'] },
  metadata: { labels: { env: 'prod' } },
  million: 1000000,
  big: 1234567,
  half: 1.5,
  three: 3,
  zero: 0,
  empty: '',
  nil: null,
  list: ['b', 'a', 'c'],
  map: { zeta: 1, alpha: 'x', mid: true },
  name: 'Hello World',
};

const render = (t: string, data: unknown = DATA, missingKey?: 'default' | 'zero' | 'error') =>
  renderGoTemplate(t, data as any, { missingKey });

describe('Go text/template: fields, printing, numbers', () => {
  it('reads fields and chained fields', () => {
    expect(render('{{ .path.basename }}-{{ .metadata.labels.env }}')).toBe('guestbook-prod');
    expect(render('{{ $.path.path }}')).toBe('apps/guestbook');
  });

  it('prints float64 numbers the way Go does (1e+06 for a million)', () => {
    expect(render('{{ .million }} {{ .big }} {{ .half }} {{ .three }} {{ .zero }}')).toBe('1e+06 1.234567e+06 1.5 3 0');
  });

  it('prints ints (constants and sprig results) in decimal', () => {
    expect(render('{{ 1000000 }} {{ add 999999 1 }} {{ .million | int }} {{ len .list }}')).toBe('1000000 1000000 1000000 3');
  });

  it('prints <no value> for missing keys and nil by default', () => {
    expect(render('[{{ .missing }}][{{ .missing.deeper }}][{{ .nil }}]')).toBe('[<no value>][<no value>][<no value>]');
    expect(render('[{{ .missing }}]', DATA, 'zero')).toBe('[<no value>]');
  });

  it('fails when a key is missing under missingkey=error, worded as Go', () => {
    expect(() => render('{{ .missing }}', DATA, 'error')).toThrow('template: base:1:3: executing "base" at <.missing>: map has no entry for key "missing"');
    expect(() => render('x-{{ .path.missing }}', DATA, 'error')).toThrow('template: base:1:10: executing "base" at <.path.missing>: map has no entry for key "missing"');
    expect(() => render('a\n  {{.nope}}', DATA, 'error')).toThrow('template: base:2:4: executing "base" at <.nope>: map has no entry for key "nope"');
  });

  it('prints lists and maps as fmt does', () => {
    expect(render('{{ .list }} {{ .map }}')).toBe('[b a c] map[alpha:x mid:true zeta:1]');
  });

  it('fails when a field is read from a non-map', () => {
    expect(() => render('{{ .name.x }}')).toThrow('at <.name.x>: can\'t evaluate field x in type interface {}');
    expect(() => render('{{ $n := .name }}{{ $n.x }}')).toThrow('can\'t evaluate field x in type string');
    expect(() => render('{{ .nil.x }}')).toThrow('nil pointer evaluating interface {}.x');
  });
});

describe('Go text/template: trim markers, comments, literals', () => {
  it('trims spaces around trim markers', () => {
    expect(render('a  \n {{- .three -}} \n  b')).toBe('a3b');
    expect(render('a {{- /* c */ -}} b')).toBe('ab');
    expect(render('a {{-3}} b')).toBe('a -3 b');
  });

  it('drops comments', () => {
    expect(render('x{{/* a comment */}}y')).toBe('xy');
  });

  it('reads string, raw string, number, bool and nil literals', () => {
    expect(render('{{ "a\\tb" }}|{{ `raw\\n` }}|{{ 0x10 }}|{{ 1.50 }}|{{ 1e3 }}|{{ true }}|{{ \'a\' }}')).toBe('a\tb|raw\\n|16|1.5|1000|true|97');
  });
});

describe('Go text/template: control structures', () => {
  it('if / else if / else', () => {
    const t = '{{ if eq .metadata.labels.env "dev" }}d{{ else if eq .metadata.labels.env "prod" }}p{{ else }}o{{ end }}';
    expect(render(t)).toBe('p');
    expect(render('{{ if .empty }}y{{ else }}n{{ end }}{{ if .list }}y{{ end }}{{ if .zero }}y{{ else }}n{{ end }}')).toBe('nyn');
  });

  it('range over a list, with index and element, and else', () => {
    expect(render('{{ range .list }}[{{ . }}]{{ end }}')).toBe('[b][a][c]');
    expect(render('{{ range $i, $e := .list }}{{ $i }}={{ $e }};{{ end }}')).toBe('0=b;1=a;2=c;');
    expect(render('{{ range .missing }}x{{ else }}none{{ end }}')).toBe('none');
  });

  it('range over a map visits keys in sorted order', () => {
    expect(render('{{ range $k, $v := .map }}{{ $k }}:{{ $v }} {{ end }}')).toBe('alpha:x mid:true zeta:1 ');
  });

  it('range over an int, break and continue', () => {
    expect(render('{{ range 5 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}')).toBe('02');
  });

  it('with / else, and dot inside with', () => {
    expect(render('{{ with .path }}{{ .basename }}{{ end }}|{{ with .missing }}x{{ else }}no{{ end }}')).toBe('guestbook|no');
  });

  it('variables: declaration, assignment across scopes, $', () => {
    expect(render('{{ $x := 1 }}{{ range .list }}{{ $x = . }}{{ end }}{{ $x }}')).toBe('c');
    expect(render('{{ range .list }}{{ $.path.basename }}{{ end }}')).toBe('guestbookguestbookguestbook');
  });

  it('pipelines and parenthesised arguments', () => {
    expect(render('{{ .name | lower | replace " " "-" }}')).toBe('hello-world');
    expect(render('{{ printf "%s-%s" (.name | lower) (index .list 1) }}')).toBe('hello world-a');
    expect(render('{{ (index .path.segments 0) }}{{ (.path).basename }}')).toBe('appsguestbook');
  });

  it('define / template / block', () => {
    expect(render('{{ define "x" }}<{{ .basename }}>{{ end }}{{ template "x" .path }}')).toBe('<guestbook>');
    expect(render('{{ block "b" .metadata }}{{ .labels.env }}{{ end }}')).toBe('prod');
  });
});

describe('Go text/template: builtins', () => {
  it('and / or / not return values and short-circuit', () => {
    expect(render('{{ and 1 0 "x" }}|{{ or "" "b" }}|{{ not .empty }}|{{ or .missing "d" }}')).toBe('0|b|true|d');
    expect(render('{{ if and .missing (index .missing 0) }}x{{ else }}short{{ end }}')).toBe('short');
  });

  it('comparisons: eq with several args, lt/le/gt/ge', () => {
    expect(render('{{ eq .name "a" "Hello World" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 .half }}')).toBe('true true true true true true');
  });

  it('fails when comparing mismatched types, as Go does', () => {
    expect(() => render('{{ eq .three 3 }}')).toThrow('template: base:1:3: executing "base" at <eq .three 3>: error calling eq: incompatible types for comparison');
    expect(() => render('{{ lt .list 1 }}')).toThrow('error calling lt: invalid type for comparison');
    expect(render('{{ eq .missing "x" }}')).toBe('false');
  });

  it('len, index, print, printf, println, html, js, urlquery', () => {
    expect(render('{{ len .name }} {{ index .map "alpha" }} {{ index .list 2 }}')).toBe('11 x c');
    expect(render('{{ print 1 2 "a" }}|{{ println "a" 1 }}|{{ html "<a&b>" }}|{{ js "it\'s" }}|{{ urlquery "a b&c" }}')).toBe('1 2a|a 1\n|&lt;a&amp;b&gt;|it\\\'s|a+b%26c');
    expect(() => render('{{ index .list 5 }}')).toThrow('error calling index: index out of range: 5');
  });

  it('printf verbs %s %d %v %q %f %t %x %%', () => {
    expect(render('{{ printf "%s|%d|%v|%q|%.2f|%t|%x|%%|%5s|%-3d|" "a" 42 .million "q" 3.14159 true 255 "r" 7 }}'))
      .toBe('a|42|1e+06|"q"|3.14|true|ff|%|    r|7  |');
    expect(render('{{ printf "%d" .three }} {{ printf "%s" 3 }} {{ printf "%s %s" "a" }}')).toBe('%!d(float64=3) %!s(int=3) a %!s(MISSING)');
  });

  it('fails when an argument has the wrong type, as text/template does', () => {
    expect(() => render('{{ upper .three }}')).toThrow('at <.three>: wrong type for value; expected string; got float64');
    expect(() => render('{{ upper .missing }}')).toThrow('invalid value; expected string');
    expect(() => render('{{ trunc "3" .name }}')).toThrow('expected integer; found "3"');
  });
});

describe('Go text/template: parse errors and unsupported functions', () => {
  it('fails when a function is unknown, at parse time, worded as Go', () => {
    expect(() => render('{{ foo .x }}')).toThrow('template: base:1: function "foo" not defined');
    expect(() => render('{{ env "HOME" }}')).toThrow('function "env" not defined');
    expect(() => render('{{ required "x" .a }}')).toThrow('function "required" not defined');
  });

  it('fails when a sprig function is not reimplemented, naming it', () => {
    expect(() => render('{{ now }}')).toThrow('function "now" is not supported by the offline ApplicationSet preview');
  });

  it('fails when the template is malformed', () => {
    expect(() => render('{{ if .x }}a')).toThrow('template: base:1: unexpected EOF');
    expect(() => render('{{ end }}')).toThrow('template: base:1: unexpected {{end}}');
    expect(() => render('{{ .x ')).toThrow('template: base:1: unclosed action');
    expect(() => render('{{ $y }}')).toThrow('template: base:1: undefined variable "$y"');
    expect(() => render('{{ break }}')).toThrow('{{break}} outside {{range}}');
  });

  it('fails when a goTemplateOption is unknown', () => {
    expect(parseGoTemplateOptions(['missingkey=error'])).toEqual({ missingKey: 'error' });
    expect(() => parseGoTemplateOptions(['missingkey=nope'])).toThrow('unrecognized option: missingkey=nope');
  });
});

describe('sprig and Argo CD functions', () => {
  it('string functions', () => {
    expect(render('{{ upper "a" }}{{ lower "B" }} {{ title "hello world-x" }} {{ trim "  x " }} {{ trimPrefix "a-" "a-b" }} {{ trimSuffix "-b" "a-b" }} {{ trimAll "$" "$x$" }}'))
      .toBe('Ab Hello World-X x b a x');
    expect(render('{{ contains "ll" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }} {{ repeat 3 "ab" }} {{ substr 1 3 "hello" }} {{ trunc 3 "hello" }} {{ trunc -2 "hello" }} {{ abbrev 5 "hello world" }} {{ nospace "a b c" }}'))
      .toBe('true true true ababab el hel lo he... abc');
    expect(render('{{ quote "a" 1 }} {{ squote "b" }} {{ indent 2 "a\\nb" }}|{{ nindent 2 "c" }}')).toBe('"a" "1" \'b\'   a\n  b|\n  c');
    expect(render('{{ join "," (splitList "/" "a/b/c") }} {{ (split "/" "x/y")._1 }} {{ toString 1.5 }} {{ b64enc "hi" }} {{ b64dec "aGk=" }}')).toBe('a,b,c y 1.5 aGk= hi');
    expect(render('{{ sha256sum "abc" }}')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(render('{{ camelcase "http_server" }} {{ snakecase "FirstName" }} {{ kebabcase "FirstName" }}')).toBe('HttpServer first_name first-name');
    expect(render('{{ regexMatch "^a.c$" "abc" }} {{ regexFind "[0-9]+" "ab123cd45" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}')).toBe('true 123 -W-xxW-');
  });

  it('list functions', () => {
    expect(render('{{ list 1 2 3 | first }} {{ last .list }} {{ rest .list }} {{ initial .list }} {{ append .list "d" }} {{ prepend .list "z" }}'))
      .toBe('1 c [a c] [b a] [b a c d] [z b a c]');
    expect(render('{{ concat .list (list "x") }} {{ has "a" .list }} {{ uniq (list 1 1 2) }} {{ without .list "a" }} {{ compact (list "" "a" 0) }} {{ sortAlpha .list }} {{ reverse .list }}'))
      .toBe('[b a c x] true [1 2] [b c] [a] [a b c] [c a b]');
    expect(render('{{ until 3 }} {{ untilStep 0 10 4 }}')).toBe('[0 1 2] [0 4 8]');
    expect(() => render('{{ first "abc" }}')).toThrow('error calling first: Cannot find first on type string');
  });

  it('dict functions', () => {
    expect(render('{{ $d := dict "a" 1 "b" "x" }}{{ get $d "b" }} {{ hasKey $d "a" }} {{ keys $d | sortAlpha }} {{ values $d }} {{ pick $d "a" }} {{ omit $d "a" }}'))
      .toBe('x true [a b] [1 x] map[a:1] map[b:x]');
    expect(render('{{ $d := dict "a" 1 }}{{ $_ := set $d "c" 2 }}{{ $d }} {{ unset $d "a" }}')).toBe('map[a:1 c:2] map[c:2]');
    expect(render('{{ merge (dict "a" 1) (dict "a" 2 "b" 3) }} {{ mergeOverwrite (dict "a" 1) (dict "a" 2) }}')).toBe('map[a:1 b:3] map[a:2]');
    expect(render('{{ dig "labels" "env" "none" .metadata }} {{ dig "labels" "x" "none" .metadata }}')).toBe('prod none');
  });

  it('defaults and logic', () => {
    expect(render('{{ default "d" .empty }} {{ default "d" "v" }} {{ empty .list }} {{ coalesce .missing "" "c" }} {{ ternary "y" "n" false }}')).toBe('d v false c n');
    expect(() => render('{{ fail "boom" }}')).toThrow('error calling fail: boom');
  });

  it('conversions and math', () => {
    expect(render('{{ atoi "42" }} {{ int "7" }} {{ int64 3.9 }} {{ float64 "1.5" }} {{ toStrings (list 1 "a") }}')).toBe('42 7 3 1.5 [1 a]');
    expect(render('{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add1 .three }}')).toBe('6 3 24 3 1 5 2 4');
    expect(() => render('{{ div 1 0 }}')).toThrow('error calling div: runtime error: integer divide by zero');
  });

  it('toJson / toPrettyJson', () => {
    expect(render('{{ toJson .map }}')).toBe('{"alpha":"x","mid":true,"zeta":1}');
    expect(render('{{ toJson "<a&b>" }} {{ toJson .million }}')).toBe('"\\u003ca\\u0026b\\u003e" 1000000');
    expect(render('{{ toPrettyJson (dict "a" (list 1)) }}')).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('normalize', () => {
    expect(render('{{ normalize "Hello_World/Foo.-" }}')).toBe('hello-world-foo');
    expect(render('{{ normalize .name }}')).toBe('hello-world');
  });

  it('slugify with its optional max length and smart truncation', () => {
    expect(render('{{ slugify "Hello World" }}')).toBe('hello-world');
    expect(render('{{ slugify "The quick brown fox jumps over the lazy dog, again and again" }}')).toBe('the-quick-brown-fox-jumps-over-the-lazy-dog-again');
    expect(render('{{ slugify 10 "Hello World Long" }}')).toBe('hello');
    expect(render('{{ slugify 10 false "Hello World Long" }}')).toBe('hello-worl');
    expect(() => render('{{ slugify 10.0 "x" }}')).toThrow('error calling slugify: interface conversion: interface {} is float64, not int');
  });

  it('toYaml / fromYaml / fromYamlArray', () => {
    expect(render('{{ toYaml .map }}')).toBe('alpha: x\nmid: true\nzeta: 1');
    expect(render('{{ toYaml (dict "l" (list "a" "true")) }}')).toBe('l:\n- a\n- "true"');
    expect(render('{{ toYaml .million }}')).toBe('1000000');
    expect(render('{{ $v := fromYaml "a: 1\\nb:\\n  c: [x, y]" }}{{ $v.a }} {{ $v.b.c }}')).toBe('1 [x y]');
    expect(render('{{ range fromYamlArray "- a\\n- b" }}{{ . }}{{ end }}')).toBe('ab');
    expect(() => render('{{ fromYaml "- a" }}')).toThrow('error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('toYaml then fromYaml gives the JSON value back (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)), fc.boolean(), fc.constant(null), tie('arr'), tie('obj')),
      arr: fc.array(tie('value'), { maxLength: 3 }),
      obj: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 3 }),
    }));
    fc.assert(fc.property(json.obj, (obj) => {
      const out = render('{{ toYaml .v | fromYaml | toJson }}', { v: obj });
      expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(obj)));
    }), { numRuns: 200 });
  });
});

describe('formatGoFloat', () => {
  it('matches strconv.FormatFloat(f, \'g\', -1, 64)', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '-0'], [1, '1'], [3, '3'], [1.5, '1.5'], [100, '100'], [123456, '123456'],
      [999999, '999999'], [1000000, '1e+06'], [1234567, '1.234567e+06'], [1e21, '1e+21'], [1e100, '1e+100'],
      [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5e-7, '-2.5e-07'], [0.1 + 0.2, '0.30000000000000004'],
      [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [f, s] of cases) expect(formatGoFloat(f)).toBe(s);
  });

  it('round-trips through parseFloat (property)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (f) => {
      expect(Object.is(parseFloat(formatGoFloat(f)), f)).toBe(true);
    }));
  });
});

describe('goTemplateFieldPaths', () => {
  it('lists root paths, also in conditions, skipping paths on a changed dot', () => {
    const t = '{{ .a.b }}{{ if .c }}{{ range .d }}{{ .e }}{{ $.f.g }}{{ end }}{{ end }}{{ with .h }}{{ .i }}{{ else }}{{ .j }}{{ end }}{{ printf "%s" (.k | lower) }}{{ .a.b }}';
    expect(goTemplateFieldPaths(t)).toEqual(['a.b', 'c', 'd', 'f.g', 'h', 'j', 'k']);
    expect(goTemplateFieldPaths('plain')).toEqual([]);
  });

  it('fails when the template does not parse', () => {
    expect(() => goTemplateFieldPaths('{{ nope }}')).toThrow('function "nope" not defined');
  });
});
