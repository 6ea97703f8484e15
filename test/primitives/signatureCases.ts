/**
 * Test cases for every signature of every supported primitive, read from the registry: for each
 * signature, the Stan statement that calls it (the function's name, its operator, `~` for
 * `_lupdf`/`_lupmf`, a generated quantity for `_rng`), the domain each argument is drawn from, and
 * the programs that batch many such statements. Used by everyPrimitive.test.ts (cheap: every case
 * can be generated) and everySignature.slow.test.ts (compiles, evaluates and checks gradients).
 *
 * Domains (as Stan Math's `expect_ad` test values): an entry's `testDomain`, else its density's
 * checks (a sibling `_lpdf`/`_lpmf` for `_cdf`, `_lcdf`, `_lccdf`, `_rng`), else (−2, 2) inside
 * and ±10 at the edges for reals and 1…2 for integers. Containers have 3 elements; matrices are 3×3.
 */
import type { StanType } from "../../src/ast/ast";
import type { ArgCheck, FunctionSignature, Primitive, TestDomain } from "../../src/primitives/primitive";
import {
  allPrimitives,
  BINARY_OPERATOR_FUNCTIONS,
  PREFIX_OPERATOR_FUNCTIONS,
  primitive,
  SCALAR_RULES,
} from "../../src/primitives/registry";
import type { ExprBuilder } from "../../src/primitives/primitive";

/** The size of every container dimension in the generated programs. */
export const SIZE = 3;

export type Structure = Exclude<TestDomain, readonly [number, number]>;

export type ArgDomain =
  | { readonly kind: "int"; readonly lo: number; readonly hi: number }
  /** Reals: sampled in `interior` (log-uniformly when `logScale`), and at the `edges`. */
  | { readonly kind: "real"; readonly interior: readonly [number, number]; readonly edges: readonly [number, number]; readonly logScale: boolean }
  | { readonly kind: "structured"; readonly structure: Structure };

export interface CaseArg {
  readonly type: StanType;
  readonly domain: ArgDomain;
  /** Parameters get their gradient checked; integers and data-only arguments are data. */
  readonly role: "param" | "data";
}

/**
 * How a case checks its signature: `gradient` (value and finite-difference gradient), `value`
 * (integer or piecewise constant results: evaluated only), `rng` (drawn in generated quantities).
 */
export type CaseMode = "gradient" | "value" | "rng";

/** How the statement calls the function. */
export type CaseForm = "call" | "operator" | "tilde" | "rng" | "constant";

export interface SignatureCase {
  readonly primitive: Primitive;
  readonly signature: FunctionSignature;
  readonly form: CaseForm;
  readonly mode: CaseMode;
  readonly args: readonly CaseArg[];
  /** `normal_lpdf(vector, real, array[] real)`, with the form when not a plain call. */
  readonly label: string;
}

export function typeText(t: StanType): string {
  return t.arrayDims === 0 ? t.base : `array[${",".repeat(t.arrayDims - 1)}] ${t.base}`;
}

/** Every entry a Stan program may call that claims to compile. */
export function supportedEntries(): Primitive[] {
  return allPrimitives().filter((p) => p.signatures.length > 0 && p.unsupported === undefined);
}

const DISTRIBUTION_SUFFIX = /_(lpdf|lupdf|lpmf|lupmf|cdf|lcdf|lccdf|rng)$/;

/** The density rule whose checks describe this entry's arguments, and the shift of positions. */
function siblingChecks(p: Primitive): { checks: readonly (readonly [number, ArgCheck])[]; shift: number } | undefined {
  if (p.density) return { checks: p.density.checks, shift: 0 };
  const m = DISTRIBUTION_SUFFIX.exec(p.name);
  if (!m) return undefined;
  const base = p.name.slice(0, m.index);
  const density = (primitive(`${base}_lpdf`) ?? primitive(`${base}_lpmf`))?.density;
  if (!density) return undefined;
  return { checks: density.checks, shift: m[1] === "rng" ? 1 : 0 };
}

const REAL_DEFAULT: ArgDomain = { kind: "real", interior: [-2, 2], edges: [-10, 10], logScale: false };
const POSITIVE: ArgDomain = { kind: "real", interior: [0.2, 3], edges: [1e-3, 20], logScale: false };
const UNIT: ArgDomain = { kind: "real", interior: [0.05, 0.95], edges: [1e-4, 1 - 1e-4], logScale: false };

function fromCheck(check: ArgCheck | undefined, isInt: boolean): ArgDomain {
  if (isInt) {
    if (check === "nonnegative") return { kind: "int", lo: 0, hi: 4 };
    if (check === "positive" || check === "positive_finite") return { kind: "int", lo: 1, hi: 4 };
    return { kind: "int", lo: 1, hi: 2 };
  }
  switch (check) {
    case "positive":
    case "positive_finite":
    case "nonnegative":
      return POSITIVE;
    case "unit_interval":
    case "probability":
      return UNIT;
    default:
      return REAL_DEFAULT;
  }
}

/** Where argument `i` of `p` is drawn from (see the file comment). */
export function argDomain(p: Primitive, i: number, type: StanType): ArgDomain {
  const isInt = type.base === "int";
  const declared = p.testDomain?.[i];
  if (declared !== undefined) {
    if (typeof declared === "string") {
      if (isInt) throw new Error(`${p.name}: argument ${i + 1} is an integer but its testDomain is the structure ${declared}`);
      return { kind: "structured", structure: declared };
    }
    const [lo, hi] = declared;
    if (!(lo <= hi)) throw new Error(`${p.name}: testDomain of argument ${i + 1} is empty: [${lo}, ${hi}]`);
    if (isInt) return { kind: "int", lo: Math.ceil(lo), hi: Math.floor(hi) };
    return { kind: "real", interior: [lo, hi], edges: [lo, hi], logScale: lo > 0 && hi > 10 && hi / lo > 50 };
  }
  const sibling = siblingChecks(p);
  const check = sibling?.checks.find(([at]) => at === i + sibling.shift)?.[1];
  return fromCheck(check, isInt);
}

/** A builder that tells whether a formula is the constant 0 (its `num` values), else `undefined`. */
const constantBuilder: ExprBuilder<number | undefined> = {
  num: (x) => x,
  add: (a, b) => (a === undefined || b === undefined ? undefined : a + b),
  sub: (a, b) => (a === undefined || b === undefined ? undefined : a - b),
  mul: (a, b) => (a === 0 || b === 0 ? 0 : a === undefined || b === undefined ? undefined : a * b),
  div: (a, b) => (a === 0 ? 0 : undefined),
  neg: (a) => (a === undefined ? undefined : -a),
  call: () => undefined,
  ifElse: (_c, t, f) => (t === f ? t : undefined),
  cmp: () => undefined,
  or: () => undefined,
};

/** Whether the function is integer-valued or piecewise constant (its gradient is zero where defined). */
function valueOnly(p: Primitive, s: FunctionSignature): boolean {
  if (s.returnType.base === "int") return true;
  const rule = SCALAR_RULES.get(p.name);
  if (!rule || p.expand || p.density || p.kernel || p.glm) return false;
  if (!rule.partials) return true;
  const args = new Array<number | undefined>(rule.arity).fill(undefined);
  return rule.partials(constantBuilder, args, undefined).every((d) => d === 0);
}

interface OperatorSyntax {
  readonly op: string;
  readonly prefix: boolean;
}
const OPERATOR_OF: ReadonlyMap<string, OperatorSyntax> = new Map<string, OperatorSyntax>([
  ...Object.entries(BINARY_OPERATOR_FUNCTIONS).map(([op, fn]): [string, OperatorSyntax] => [fn, { op, prefix: false }]),
  ...Object.entries(PREFIX_OPERATOR_FUNCTIONS).map(([op, fn]): [string, OperatorSyntax] => [fn, { op, prefix: true }]),
  ["transpose", { op: "'", prefix: false }],
]);

/**
 * Domains that depend on the signature, not only on the entry: `to_matrix(x, m, n)` needs
 * m·n = the number of elements of x.
 */
const SIGNATURE_DOMAINS: Readonly<Record<string, (s: FunctionSignature) => readonly (ArgDomain | undefined)[]>> = {
  to_matrix: (s) => {
    const count = scalarCount(s.args[0]);
    const fixed = (v: number): ArgDomain => ({ kind: "int", lo: v, hi: v });
    return [undefined, fixed(SIZE), fixed(count / SIZE), { kind: "int", lo: 0, hi: 1 }];
  },
};

/** Every case of one entry: one per signature and form. Throws when an argument has no generator. */
export function casesFor(p: Primitive): SignatureCase[] {
  const out: SignatureCase[] = [];
  for (const signature of p.signatures) {
    const dataOnly = new Set(signature.dataOnlyArgs ?? []);
    const args: CaseArg[] = signature.args.map((type, i) => {
      if (type.base === "complex" || type.base === "string" || type.base === "void")
        throw new Error(`${p.name}: no generator for an argument of type ${typeText(type)}`);
      const domain = SIGNATURE_DOMAINS[p.name]?.(signature)[i] ?? argDomain(p, i, type);
      if (domain.kind === "structured") checkStructure(p, domain.structure, type);
      const isParam = type.base !== "int" && !dataOnly.has(i);
      return { type, domain, role: isParam ? "param" : "data" };
    });
    const sigText = `${p.name}(${signature.args.map(typeText).join(", ")})`;
    const make = (form: CaseForm, mode: CaseMode): SignatureCase => ({
      primitive: p,
      signature,
      form,
      mode,
      args,
      label: form === "call" ? sigText : `${sigText} [${form === "tilde" ? "~ statement" : form}]`,
    });
    if (p.rng) {
      out.push(make("rng", "rng"));
      continue;
    }
    if (signature.args.length === 0) {
      out.push(make("constant", "value"));
      continue;
    }
    const mode = valueOnly(p, signature) ? "value" : "gradient";
    const op = OPERATOR_OF.get(p.name);
    if (op && signature.args.length === (op.prefix || op.op === "'" ? 1 : 2)) out.push(make("operator", mode));
    if (/_lu(pdf|pmf)$/.test(p.name)) out.push(make("tilde", mode));
    else out.push(make("call", mode));
  }
  return out;
}

function checkStructure(p: Primitive, s: Structure, t: StanType): void {
  const vectorLike = t.base === "vector" || t.base === "row_vector";
  const ok = s === "simplex" || s === "ordered" ? vectorLike : t.base === "matrix" && t.arrayDims === 0;
  if (!ok) throw new Error(`${p.name}: structure ${s} cannot apply to an argument of type ${typeText(t)}`);
}

// ---------------------------------------------------------------------------------------------
// Programs

/** One Stan variable the program declares for a case's argument. */
export interface ArgVar {
  readonly name: string;
  readonly caseIndex: number;
  readonly argIndex: number;
  readonly arg: CaseArg;
}

export interface BatchProgram {
  readonly source: string;
  readonly cases: readonly SignatureCase[];
  /** Variables by Stan name. */
  readonly vars: ReadonlyMap<string, ArgVar>;
  /** Generated-quantity names of `rng` and constant cases (constants may be ±∞ or NaN), by case index. */
  readonly draws: ReadonlyMap<number, string>;
}

const dims = (t: StanType): string => (t.arrayDims === 0 ? "" : `array[${new Array(t.arrayDims).fill(SIZE).join(", ")}] `);

function elementDecl(base: string, structure: Structure | undefined): string {
  switch (structure) {
    case "simplex":
    case "ordered":
      return `${structure}[${SIZE}]`;
    case "spd":
      return `cov_matrix[${SIZE}]`;
    case "cholesky_factor_cov":
    case "corr_matrix":
    case "cholesky_factor_corr":
      return `${structure}[${SIZE}]`;
    default:
      break;
  }
  if (base === "vector" || base === "row_vector") return `${base}[${SIZE}]`;
  if (base === "matrix") return `matrix[${SIZE}, ${SIZE}]`;
  return base;
}

/** The Stan declaration of a variable holding the argument (before any conversion). */
function declaration(v: ArgVar): string {
  const structure = v.arg.domain.kind === "structured" ? v.arg.domain.structure : undefined;
  // vector structures are declared as vectors and transposed where a row vector is wanted
  const base = structure && v.arg.type.base === "row_vector" ? "vector" : v.arg.type.base;
  return `${dims(v.arg.type)}${elementDecl(base, structure === "symmetric" ? undefined : structure)} ${v.name};`;
}

/** Statements that turn the declared variable into the argument, and the argument's expression. */
function argumentExpr(v: ArgVar): { prelude: string[]; expr: string } {
  const structure = v.arg.domain.kind === "structured" ? v.arg.domain.structure : undefined;
  if (structure === "symmetric") return { prelude: [], expr: `symmetrize_from_lower_tri(${v.name})` };
  if (structure && v.arg.type.base === "row_vector") {
    if (v.arg.type.arrayDims === 0) return { prelude: [], expr: `${v.name}'` };
    if (v.arg.type.arrayDims !== 1) throw new Error(`no generator for ${typeText(v.arg.type)} with structure ${structure}`);
    const local = `${v.name}_rows`;
    return {
      prelude: [`array[${SIZE}] row_vector[${SIZE}] ${local};`, `for (i in 1:${SIZE}) ${local}[i] = ${v.name}[i]';`],
      expr: local,
    };
  }
  return { prelude: [], expr: v.name };
}

/**
 * A real from any value of type `t`, weighted by position (so a permutation shows): a sum of
 * cumulative sums. Arrays of containers go through user functions `red_<dims>_<base>` (added to
 * `functions`), so the value is computed once; size() takes up to 3 array dimensions, so deeper
 * arrays (rep_array of arrays) are read at their first element only.
 */
function reduce(expr: string, t: StanType, functions: Map<string, string>): string {
  if (t.arrayDims === 0) {
    switch (t.base) {
      case "int":
      case "real":
        return expr;
      case "vector":
      case "row_vector":
        return `sum(cumulative_sum(${expr}))`;
      case "matrix":
        return `sum(cumulative_sum(to_vector(${expr})))`;
    }
  }
  return `${reducer(t, functions)}(${expr})`;
}

function reducer(t: StanType, functions: Map<string, string>): string {
  const name = `red_${t.arrayDims}_${t.base}`;
  if (functions.has(name)) return name;
  const inner: StanType = { base: t.base, arrayDims: t.arrayDims - 1 };
  const param = `${typeText(t)} x`;
  let body: string;
  if (t.arrayDims === 1 && (t.base === "real" || t.base === "int")) body = `return sum(cumulative_sum(x));`;
  // one index for every dimension: nested indexing of a rep_array view grows its index expressions exponentially
  else if (t.arrayDims > 3) body = `return ${reduce(`x[${new Array(t.arrayDims).fill(1).join(", ")}]`, { base: t.base, arrayDims: 0 }, functions)};`;
  // names unique per depth: the inliner does not rename a function's locals, so nested inlined
  // loops over the same name would capture each other's index
  else {
    const [i, s] = [`i${t.arrayDims}`, `s${t.arrayDims}`];
    body = `real ${s} = 0; for (${i} in 1:size(x)) ${s} += ${reduce(`x[${i}]`, inner, functions)}; return ${s};`;
  }
  functions.set(name, `real ${name}(${param}) { ${body} }`);
  return name;
}

function callText(c: SignatureCase, exprs: readonly string[]): string {
  const name = c.primitive.name;
  if (c.form === "constant") return `${name}()`;
  if (c.form === "operator") {
    const op = OPERATOR_OF.get(name)!;
    if (op.op === "'") return `(${exprs[0]})'`;
    if (op.prefix) return `(${op.op}${exprs[0]})`;
    return `(${exprs[0]} ${op.op} ${exprs[1]})`;
  }
  const isDistribution = /_(lpdf|lupdf|lpmf|lupmf|cdf|lcdf|lccdf)$/.test(name);
  if (isDistribution) return `${name}(${exprs[0]}${exprs.length > 1 ? ` | ${exprs.slice(1).join(", ")}` : ""})`;
  return `${name}(${exprs.join(", ")})`;
}

function outputDecl(t: StanType): string {
  const base = t.base === "vector" || t.base === "row_vector" ? `${t.base}[${SIZE}]` : t.base === "matrix" ? `matrix[${SIZE}, ${SIZE}]` : t.base;
  return `${dims(t)}${base}`;
}

/** One program holding every case (each its own variables `c<k>_<i>`), in one model block. */
export function batchProgram(cases: readonly SignatureCase[]): BatchProgram {
  const vars = new Map<string, ArgVar>();
  const data: string[] = [];
  const params: string[] = [];
  const model: string[] = [];
  const gq: string[] = [];
  const draws = new Map<number, string>();
  const functions = new Map<string, string>();
  cases.forEach((c, k) => {
    const own = c.args.map((arg, i): ArgVar => ({ name: `c${k}_${i}`, caseIndex: k, argIndex: i, arg }));
    for (const v of own) {
      vars.set(v.name, v);
      // an rng's arguments are data, except structured ones (built by their constraint transform)
      const isParam = c.mode === "rng" ? v.arg.domain.kind === "structured" : v.arg.role === "param";
      (isParam ? params : data).push(declaration(v));
    }
    const converted = own.map(argumentExpr);
    const prelude = converted.flatMap((a) => a.prelude);
    const exprs = converted.map((a) => a.expr);
    if (c.mode === "rng" || (c.form === "constant" && c.primitive.name !== "target")) {
      const name = `draw${k}`;
      draws.set(k, name);
      gq.push(`${outputDecl(c.signature.returnType)} ${name} = ${callText(c, exprs)};`);
      return;
    }
    let body: string[];
    if (c.form === "tilde") {
      const base = c.primitive.name.replace(/_lu(pdf|pmf)$/, "");
      body = [`${exprs[0]} ~ ${base}(${exprs.slice(1).join(", ")});`];
    } else if (c.primitive.name === "target") {
      body = [`target += 1e-3 * target();`];
    } else {
      body = [`target += ${reduce(callText(c, exprs), c.signature.returnType, functions)};`];
    }
    model.push(`// ${c.label}`, "{", ...prelude, ...body, "}");
  });
  const block = (name: string, lines: string[]) => (lines.length ? `${name} {\n  ${lines.join("\n  ")}\n}\n` : "");
  const source =
    block("functions", [...functions.values()]) +
    block("data", data) + block("parameters", params) + block("model", model) + block("generated quantities", gq);
  return { source, cases, vars, draws };
}

// ---------------------------------------------------------------------------------------------
// Values

/** Which values a point takes: random inside the domains, or every argument at an edge. */
export type PointKind = "interior" | "low edges" | "high edges" | "mixed edges";

export interface Point {
  readonly kind: PointKind;
  readonly seed: number;
}

export const POINTS: readonly Point[] = [
  { kind: "interior", seed: 1 },
  { kind: "interior", seed: 2 },
  { kind: "low edges", seed: 3 },
  { kind: "high edges", seed: 4 },
  { kind: "mixed edges", seed: 5 },
];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A uniform in [0, 1) for one element of one argument of one case at one point (reproducible alone). */
function uniform(c: SignatureCase, argIndex: number, element: number, point: Point): number {
  let s = hash(`${c.label}|${argIndex}|${element}|${point.seed}`) || 1;
  for (let r = 0; r < 3; r++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
  }
  return s / 4294967296;
}

function edgeSide(point: Point, argIndex: number): "low" | "high" | undefined {
  if (point.kind === "interior") return undefined;
  if (point.kind === "low edges") return "low";
  if (point.kind === "high edges") return "high";
  return argIndex % 2 === 0 ? "low" : "high";
}

/** The value of element `element` of a real or integer argument at `point`. */
export function elementValue(c: SignatureCase, argIndex: number, element: number, point: Point): number {
  const d = c.args[argIndex].domain;
  const u = uniform(c, argIndex, element, point);
  const side = edgeSide(point, argIndex);
  if (d.kind === "int") {
    if (side === "low") return d.lo;
    if (side === "high") return d.hi;
    return d.lo + Math.floor(u * (d.hi - d.lo + 1));
  }
  if (d.kind === "structured") return 2 * u - 1; // an unconstrained coordinate
  const [a, b] = d.interior;
  // a matrix of edge values is nearly singular (inverse, QR): matrices stay inside
  if (side === undefined || c.args[argIndex].type.base === "matrix") return d.logScale ? Math.exp(Math.log(a) + u * (Math.log(b) - Math.log(a))) : a + u * (b - a);
  // at an edge, each element and argument a little apart (no ties: max, sort and distance have kinks there)
  const edge = side === "low" ? d.edges[0] : d.edges[1];
  const centre = d.logScale ? Math.sqrt(a * b) : (a + b) / 2;
  return edge + (centre - edge) * 0.001 * (1 + argIndex + c.args.length * element);
}

/** Number of scalars in a value of type `t`. */
export function scalarCount(t: StanType): number {
  const inner = t.base === "vector" || t.base === "row_vector" ? SIZE : t.base === "matrix" ? SIZE * SIZE : 1;
  return SIZE ** t.arrayDims * inner;
}

/** Stan JSON value of a data argument (nested arrays, matrices as rows). */
export function dataValue(c: SignatureCase, argIndex: number, point: Point): unknown {
  const t = c.args[argIndex].type;
  let element = 0;
  const next = () => elementValue(c, argIndex, element++, point);
  const inner = (): unknown => {
    if (t.base === "vector" || t.base === "row_vector") return Array.from({ length: SIZE }, next);
    if (t.base === "matrix") return Array.from({ length: SIZE }, () => Array.from({ length: SIZE }, next));
    return next();
  };
  const nest = (depth: number): unknown => (depth === 0 ? inner() : Array.from({ length: SIZE }, () => nest(depth - 1)));
  return nest(t.arrayDims);
}

export function batchData(b: BatchProgram, point: Point): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of b.vars.values()) {
    const c = b.cases[v.caseIndex];
    const isData = c.mode === "rng" ? v.arg.domain.kind !== "structured" : v.arg.role === "data";
    if (isData) out[v.name] = dataValue(c, v.argIndex, point);
  }
  return out;
}

/**
 * The unconstrained point: each coordinate `name` or `name.i.j` of a case's variable gets that
 * argument's value (for a structured argument, an unconstrained coordinate in (−1, 1)).
 */
export function batchTheta(b: BatchProgram, names: readonly string[], point: Point): Float64Array {
  const theta = new Float64Array(names.length);
  const seen = new Map<string, number>();
  names.forEach((full, i) => {
    const name = full.split(".")[0];
    const v = b.vars.get(name);
    if (!v) throw new Error(`unexpected parameter coordinate ${full}`);
    const element = seen.get(name) ?? 0;
    seen.set(name, element + 1);
    theta[i] = elementValue(b.cases[v.caseIndex], v.argIndex, element, point);
  });
  return theta;
}
