// Query templates for the Go differential test: one hand-written case per feature of
// text/template a query can use, and a seeded generator that combines them at random
// (trim markers, nesting, pipelines, errors), so cases nobody thought of are compared too.

export const FEATURE_CASES: readonly string[] = [
  // variables, in every form Flagger's functions allow, and the forms that fail
  '{{ name }}|{{namespace}}|{{  target  }}|{{ service }}|{{ ingress }}|{{ route }}|{{ interval }}',
  '{{ variables.region }} {{variables.job}} {{ variables }}',
  '{{ variables.zone }}',
  '{{ .Namespace }}',
  '{{ $.x }}',
  '{{ . }}|{{ $ }}',
  '{{ cluster }}',
  '{{ variables.region.x }}',
  '{{ (variables).job }}',
  '{{ index variables "job" }}|{{ index variables "zone" }}|',
  '{{ index variables 1 }}',
  // literals
  "{{ \"a\\tb\\\"c\\\\d\\u00e9\\x41\\101\" }}|{{ `raw\\n` }}|{{ 'a' }} {{ '\\n' }} {{ '\\'' }}",
  '{{ 1 }} {{ -3 }} {{ +4 }} {{ 1.50 }} {{ .5 }} {{ 1e6 }} {{ 1e-7 }} {{ 0x1F }} {{ 0x1p4 }} {{ 1_000 }} {{ 0o17 }} {{ 017 }} {{ 0b101 }}',
  '{{ true }} {{ false }}',
  '{{ nil }}',
  '{{ 9223372036854775808 }}',
  '{{ 1x }}',
  // trim markers and comments
  'a  {{- namespace -}}  b',
  'a {{-3}} b',
  'a {{- 3 }} b {{ 4 -}} c',
  '{{/* a comment */}}x{{- /* trimmed */ -}} y',
  '{{ /* not a comment */ }}',
  'x\n  {{- if true }}\n  y\n  {{- end }}\nz',
  // printf and fmt
  '{{ printf "%s/%s" namespace target }}',
  '{{ printf "kube(ew)?_%s__%s_canary__.*__%s_canary(_[0-9]+)?" namespace ingress service }}',
  '{{ printf "%d %s" "x" }}',
  '{{ printf "%v %v" 1.5 true 7 }}',
  '{{ printf "%6.2f|%-5d|%+d|%e|%g|%G|%05d|%x|%X|%o|%#x|%b" 3.14159 42 5 123456.789 0.000012 1e21 -42 255 255 8 255 5 }}',
  '{{ printf "%.0f %.0f %.1f %.2f %.0f %.1f" 2.5 3.5 0.25 0.125 0.5 0.05 }}',
  '{{ printf "%q|%8s|%-8s|%.2s|%x|% x|%X" namespace "ab" "ab" "abc" "hi" "hi" "hi" }}',
  "{{ printf \"%c|%q|%U|%d\" 'x' 'y' 0x1F600 'z' }}",
  '{{ printf "%t|%v|%s" true variables . }}',
  '{{ printf "100%%" }}{{ printf "%" }}{{ printf "%z" 1 }}',
  '{{ printf "%*d|%.*f" 5 42 2 3.14159 }}',
  '{{ printf 3 }}',
  '{{ print 1 2 "a" 3 true }}|{{ print }}|{{ println "a" 1 }}',
  '{{ print nil . }}',
  // pipelines and parentheses
  '{{ namespace | printf "%s-%s" "a" }}',
  '{{ "x" | printf "%s%s" namespace | len }}',
  '{{ (printf "%s" namespace) }} {{ len (print "ab") }}',
  '{{ "x" | "y" }}',
  '{{ namespace "extra" }}',
  '{{ "a" "b" }}',
  '{{ "x" | namespace }}',
  // if / else / with / range, variables
  '{{ if eq namespace "test" }}yes{{ else }}no{{ end }}',
  '{{ if ne interval "1m" }}a{{ else if eq interval "1m" }}b{{ else }}c{{ end }}',
  '{{ if variables.region }}{{ variables.region }}{{ end }}',
  '{{ if and (eq namespace "test") (ne target "") }}ok{{ end }}',
  '{{ with variables }}{{ .region }}/{{ .job }}{{ end }}',
  '{{ with index variables "zone" }}{{ . }}{{ else }}none{{ end }}',
  '{{ with $r := variables.region }}{{ $r }}{{ end }}',
  '{{ range $k, $v := variables }}{{ $k }}={{ $v }},{{ end }}',
  '{{ range variables }}[{{ . }}]{{ else }}empty{{ end }}',
  '{{ range $i := 3 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}',
  '{{ range $k, $v := variables }}{{ if eq $k "job" }}{{ continue }}{{ end }}{{ $v }}{{ break }}{{ end }}',
  '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}',
  '{{ if true }}{{ $y := 3 }}{{ end }}{{ $y }}',
  '{{ $x = 1 }}',
  '{{ break }}',
  '{{ if true }}x',
  '{{ end }}',
  '{{ else }}',
  '{{ if }}x{{ end }}',
  '{{ }}',
  '{{ namespace',
  'a }} b',
  '{{ with 0 }}x{{ else with 1 }}y{{ . }}{{ end }}',
  // comparisons and logic
  '{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ ne "a" "b" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1 2 }}',
  '{{ eq 1 1.0 }}',
  '{{ eq 1 }}',
  '{{ eq variables variables }}',
  '{{ lt true false }}',
  '{{ eq (index "a" 0) 97 }}',
  '{{ and 1 0 "x" }} {{ or 0 "" "z" }} {{ not 0 }} {{ and }} ',
  '{{ or 0 "" }}|{{ and 1 "x" }}|{{ "" | or "d" }}|{{ 1 | and 0 }}',
  // len / index / slice / escaping
  '{{ len variables }} {{ len "héllo" }} {{ len 3 }}',
  '{{ index "abc" 1 }} {{ index "abc" 3 }}',
  '{{ slice "abcdef" 1 3 }}|{{ slice "abc" }}|{{ slice "abc" 2 }}|{{ slice "abc" 2 1 }}',
  '{{ slice "abc" 0 1 2 }}',
  '{{ urlquery "a b&c/é" }} {{ urlquery "x" 1 }} {{ html "<a href=\\"x\\">\'&" }} {{ js "<a>\'\\"=&\\\\ \\n`\\u2028é" }}',
  '{{ len . }}',
  '{{ call namespace }}',
  '{{ define "x" }}y{{ end }}',
  ' {{ define "x" }}[{{ . }}{{ $ }}]{{ end }}{{ template "x" namespace }}{{ template "x" }} ',
  '{{ block "b" variables }}{{ .job }}{{ end }}|{{ define "b" }}override{{ end }}',
  '{{ template "missing" }}',
  '{{ template "tmpl" }}',
  '{{ if true }}{{ define "x" }}y{{ end }}{{ end }}',
  '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}',
];

/** Deterministic PRNG (mulberry32), so a failing generated case can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  'namespace',
  'target',
  'interval',
  'variables',
  'variables.region',
  'variables.zone',
  '.',
  '$',
  '"s"',
  '""',
  '`r`',
  '1',
  '0',
  '-2',
  '1.5',
  '2.5',
  'true',
  'false',
  "'c'",
  'nil',
  '0x10',
];
const FUNCS = [
  'printf "%s"',
  'printf "%d-%v"',
  'printf "%.1f"',
  'print',
  'len',
  'index variables',
  'eq',
  'ne',
  'lt',
  'and',
  'or',
  'not',
  'html',
  'js',
  'urlquery',
  'slice "abcd"',
  'println',
];
const TEXT = ['a', ' ', '\n', '  ', 'sum(rate(x{ns="', '"}[', '])', '\t', 'é'];

export function generatedCases(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const expr = (depth: number): string => {
    const roll = r();
    if (depth <= 0 || roll < 0.4) return pick(ATOMS);
    if (roll < 0.75) {
      const args = Array.from({ length: Math.floor(r() * 3) }, () => operand(depth - 1));
      return [pick(FUNCS), ...args].join(' ');
    }
    return `${expr(depth - 1)} | ${pick(FUNCS)}`;
  };
  const operand = (depth: number): string => (r() < 0.3 ? `(${expr(depth)})` : pick(ATOMS));
  const open = (): string => (r() < 0.2 ? '{{- ' : '{{ ');
  const close = (): string => (r() < 0.2 ? ' -}}' : ' }}');
  const block = (depth: number): string => {
    let out = '';
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const roll = r();
      if (roll < 0.35) out += pick(TEXT);
      else if (roll < 0.75 || depth <= 0) out += `${open()}${expr(2)}${close()}`;
      else {
        const kw = pick(['if', 'with', 'range']);
        const els = r() < 0.4 ? `${open()}else${close()}${block(depth - 1)}` : '';
        out += `${open()}${kw} ${expr(1)}${close()}${block(depth - 1)}${els}${open()}end${close()}`;
      }
    }
    return out;
  };
  return Array.from({ length: count }, () => block(2));
}
