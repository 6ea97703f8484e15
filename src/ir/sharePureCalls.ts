/**
 * Common pure calls computed once, on the sweep IR (after reverse mode and after
 * `hoist-invariant-calls`): when a pure call (src/primitives/purity.ts) is evaluated again with the
 * same arguments — `exp(eta)` in a `poisson_log` term and again in its partial, `log_sum_exp2(a, b)`
 * in `neg_binomial_2_log`'s value and in both its partials, `log(sigma)` in a density and its
 * adjoint in the same joint-mode iteration — the first evaluation that always runs is bound to a
 * `const shared<n>__` placed just before its statement (or, when that statement is itself
 * `const y = f(x)`, to `y`), and the later evaluations read the name. V8 merges repeated
 * `Math.exp(x)` this way itself; our deterministic functions are calls it cannot merge.
 *
 * Sameness is structural, through constants: `exp(x3__)` with `const x3__ = eta + …` is the same
 * call as `exp(eta + …)` written out, while nothing either reads has changed since. A binding is
 * valid from its statement to the end of its statement list, nested lists included, until a
 * statement may change a name the call reads (sweepFacts.ts: assignments, declarations, loop
 * variables, impure calls that receive an array); a loop's body starts without the bindings whose
 * names the loop changes. Only calls evaluated every time their statement runs are bound (not the
 * arms of `?:` or the right of `&&`/`||`, whose evaluation is conditional), and only calls that
 * occur at least twice in the function, so single calls stay where they are written. A statement
 * that also calls something impure (which could change an array) binds no call that reads an
 * array element: the binding would be evaluated before the impure call instead of after it.
 * Same values, same bits: the draws do not change.
 */
import { type JsExpr, type JsStmt, jsKey, jsName } from "./jsIr";
import { callsImpure, forEachSubexpression, isPureCall, isPureExpression, namesWritten } from "./sweepFacts";
import { mapJsExpr, mapSweepExprs } from "./sweepRewrite";

export function sharePureCalls(stmts: readonly JsStmt[], fresh: () => string): JsStmt[] {
  const sharing = new Sharing(countCalls(stmts), fresh);
  return sharing.withoutUnusedBindings(sharing.list(stmts, new Scope()));
}

/** What a name or a call stands for: its structural key with constants written out, and the names it reads. */
interface Meaning {
  readonly key: string;
  readonly reads: ReadonlySet<string>;
}

/** The constants and bound calls valid at one point of the code. */
class Scope {
  constructor(
    /** Constants whose value a pure expression gave. */
    readonly constants = new Map<string, Meaning>(),
    /** Bound calls by key: the name holding the value, and what the call reads. */
    readonly bound = new Map<string, { readonly name: string; readonly reads: ReadonlySet<string> }>(),
  ) {}

  copy(): Scope {
    return new Scope(new Map(this.constants), new Map(this.bound));
  }

  /** Forgets what reads any of `changed`. */
  forget(changed: ReadonlySet<string>): void {
    if (changed.size === 0) return;
    const stale = (r: ReadonlySet<string>) => [...r].some((n) => changed.has(n));
    for (const [k, b] of this.bound) if (stale(b.reads) || changed.has(b.name)) this.bound.delete(k);
    for (const [n, c] of this.constants) if (stale(c.reads) || changed.has(n)) this.constants.delete(n);
  }

  meaning(e: JsExpr): Meaning {
    const reads = new Set<string>();
    const key = keyThrough(e, this.constants, reads);
    return { key, reads };
  }
}

/**
 * jsKey of `e` with each constant of `constants` written out as its expression; `reads` collects
 * the names the value depends on (the constants and what they were computed from).
 */
function keyThrough(e: JsExpr, constants: ReadonlyMap<string, Meaning>, reads: Set<string>): string {
  return jsKey(e, (name) => {
    reads.add(name);
    const c = constants.get(name);
    if (c === undefined) return name;
    for (const r of c.reads) reads.add(r);
    return c.key;
  });
}

/**
 * How often each pure call occurs in the function (any position, constants written out). Scope
 * is ignored here — this only decides which calls are worth a name; `Sharing` decides validity.
 */
function countCalls(stmts: readonly JsStmt[]): Map<string, number> {
  const counts = new Map<string, number>();
  const constants = new Map<string, Meaning>();
  const visit = (list: readonly JsStmt[]): void => {
    for (const s of list) {
      if (s.k === "throw" || s.k === "comment") continue;
      const own = s.k === "decl" ? [s.init] : s.k === "assign" ? [s.value] : s.k === "effect" ? [s.e] : s.k === "push" ? [s.value] : s.k === "if" ? [s.cond] : [];
      for (const e of own) {
        forEachSubexpression(e, (x) => {
          if (!isPureCall(x)) return;
          const key = keyThrough(x, constants, new Set());
          counts.set(key, (counts.get(key) ?? 0) + 1);
        });
      }
      if (s.k === "decl" && s.kind === "const" && isPureExpression(s.init)) {
        const reads = new Set<string>();
        constants.set(s.name, { key: keyThrough(s.init, constants, reads), reads });
      }
      if (s.k === "for" || s.k === "while" || s.k === "block") visit(s.body);
      if (s.k === "if") {
        visit(s.then);
        visit(s.otherwise);
      }
    }
  };
  visit(stmts);
  return counts;
}

class Sharing {
  /** The bindings this pass made: name → the call. */
  private readonly made = new Map<string, JsExpr>();

  constructor(
    private readonly counts: ReadonlyMap<string, number>,
    private readonly fresh: () => string,
  ) {}

  /**
   * The code with each binding that only its own statement reads put back in place (the counts
   * ignore scope, so a call repeated where its binding is no longer valid was bound for nothing).
   */
  withoutUnusedBindings(stmts: readonly JsStmt[]): JsStmt[] {
    const uses = new Map<string, number>();
    const count = (list: readonly JsStmt[]) =>
      mapSweepExprs(list, (x) => {
        if (x.k === "name" && this.made.has(x.name)) uses.set(x.name, (uses.get(x.name) ?? 0) + 1);
        return undefined;
      });
    count(stmts);
    const once = new Set([...this.made.keys()].filter((name) => uses.get(name) === 1));
    if (once.size === 0) return [...stmts];
    const inline = (x: JsExpr): JsExpr | undefined => {
      if (x.k !== "name" || !once.has(x.name)) return undefined;
      return mapJsExpr(this.made.get(x.name) as JsExpr, inline);
    };
    const drop = (list: readonly JsStmt[]): JsStmt[] =>
      list
        .filter((s) => !(s.k === "decl" && once.has(s.name)))
        .map((s) => (s.k === "for" || s.k === "while" || s.k === "block" ? { ...s, body: drop(s.body) } : s.k === "if" ? { ...s, then: drop(s.then), otherwise: drop(s.otherwise) } : s));
    return mapSweepExprs(drop(stmts), inline);
  }

  list(stmts: readonly JsStmt[], scope: Scope): JsStmt[] {
    const out: JsStmt[] = [];
    for (const s of stmts) {
      switch (s.k) {
        case "block":
          out.push({ ...s, body: this.list(s.body, scope.copy()) });
          break;
        case "if": {
          const bindings: JsStmt[] = [];
          const cond = this.expr(s.cond, scope, false, !callsImpure(s), bindings);
          out.push(...bindings, { ...s, cond, then: this.list(s.then, scope.copy()), otherwise: this.list(s.otherwise, scope.copy()) });
          break;
        }
        case "for":
        case "while": {
          const inside = scope.copy();
          inside.forget(namesWritten([s]));
          out.push({ ...s, body: this.list(s.body, inside) });
          break;
        }
        case "decl":
        case "assign":
        case "effect":
        case "push": {
          const bindings: JsStmt[] = [];
          const mayBindArrays = !callsImpure(s);
          const e = (x: JsExpr) => this.expr(x, scope, false, mayBindArrays, bindings);
          // a constant that is itself a repeated call is the call's binding: no second name
          const selfBinding = s.k === "decl" && s.kind === "const" && isPureCall(s.init) && !scope.bound.has(scope.meaning(s.init).key);
          let rewritten: JsStmt;
          if (s.k === "decl" && selfBinding && s.init.k === "call") rewritten = { ...s, init: { ...s.init, args: s.init.args.map(e) } };
          else if (s.k === "decl") rewritten = { ...s, init: e(s.init) };
          else if (s.k === "assign") rewritten = { ...s, value: e(s.value) };
          else if (s.k === "effect") rewritten = { ...s, e: e(s.e) };
          else rewritten = { ...s, value: e(s.value) };
          out.push(...bindings, rewritten);
          scope.forget(namesWritten([s]));
          if (rewritten.k === "decl" && rewritten.kind === "const" && isPureExpression(rewritten.init)) {
            const meaning = scope.meaning(rewritten.init);
            scope.constants.set(rewritten.name, meaning);
            if (selfBinding && (this.counts.get(meaning.key) ?? 0) >= 2) scope.bound.set(meaning.key, { name: rewritten.name, reads: meaning.reads });
          }
          continue;
        }
        case "throw":
        case "comment":
        case "jump":
        case "increment":
          out.push(s);
          break;
      }
      scope.forget(namesWritten([s]));
    }
    return out;
  }

  /** The calls both arms of `e` always evaluate, inner calls before the calls around them. */
  private inBothArms(e: Extract<JsExpr, { k: "cond" }>, scope: Scope): JsExpr[] {
    const inFalse = callsAlwaysEvaluated(e.f, scope);
    return [...callsAlwaysEvaluated(e.t, scope)].filter(([key]) => inFalse.has(key)).map(([, call]) => call);
  }

  /**
   * `e` with bound calls read from their names; `conditional`: this subexpression may not be
   * evaluated when its statement runs (it is then only read from bindings, never bound).
   */
  private expr(e: JsExpr, scope: Scope, conditional: boolean, mayBindArrays: boolean, bindings: JsStmt[]): JsExpr {
    const pureCall = isPureCall(e);
    const meaning = pureCall ? scope.meaning(e) : undefined;
    if (meaning !== undefined) {
      const b = scope.bound.get(meaning.key);
      if (b !== undefined) return jsName(b.name);
    }
    const sub = (x: JsExpr, cond = conditional) => this.expr(x, scope, cond, mayBindArrays, bindings);
    let out: JsExpr;
    switch (e.k) {
      case "index":
        out = { ...e, array: sub(e.array), at: sub(e.at) };
        break;
      case "unary":
        out = { ...e, e: sub(e.e) };
        break;
      case "binary":
        out = { ...e, l: sub(e.l), r: sub(e.r, conditional || e.op === "&&" || e.op === "||") };
        break;
      case "cond": {
        const c = sub(e.c);
        // a call both arms evaluate is evaluated whichever arm runs: bound like an unconditional one
        if (!conditional) for (const call of this.inBothArms(e, scope)) sub(call);
        out = { ...e, c, t: sub(e.t, true), f: sub(e.f, true) };
        break;
      }
      case "call":
      case "new":
        out = { ...e, args: e.args.map((a) => sub(a)) };
        break;
      case "quote":
      case "lit":
      case "name":
      case "string":
      case "pop":
        return e;
    }
    if (meaning === undefined || conditional || (this.counts.get(meaning.key) ?? 0) < 2) return out;
    if (!mayBindArrays && readsArrayElement(out)) return out;
    const name = this.fresh();
    bindings.push({ k: "decl", kind: "const", name, init: out });
    this.made.set(name, out);
    scope.bound.set(meaning.key, { name, reads: meaning.reads });
    scope.constants.set(name, meaning);
    return jsName(name);
  }
}

/**
 * The pure calls `e` evaluates whenever it is evaluated, by key: all of its subexpressions', except
 * those of a `?:` arm or the right of `&&`/`||` — but a call that both arms of a `?:` evaluate is
 * evaluated either way, so it counts (log_inv_logit's `exp(-|x|)` in both of its arms).
 */
function callsAlwaysEvaluated(e: JsExpr, scope: Scope, out: Map<string, JsExpr> = new Map()): Map<string, JsExpr> {
  const visit = (x: JsExpr) => callsAlwaysEvaluated(x, scope, out);
  switch (e.k) {
    case "index":
      visit(e.array);
      visit(e.at);
      break;
    case "unary":
      visit(e.e);
      break;
    case "binary":
      visit(e.l);
      if (e.op !== "&&" && e.op !== "||") visit(e.r);
      break;
    case "cond": {
      visit(e.c);
      const inFalse = callsAlwaysEvaluated(e.f, scope);
      for (const [key, call] of callsAlwaysEvaluated(e.t, scope)) if (inFalse.has(key)) out.set(key, call);
      break;
    }
    case "call":
    case "new":
      e.args.forEach(visit);
      break;
    case "quote":
    case "lit":
    case "name":
    case "string":
    case "pop":
      break;
  }
  if (isPureCall(e)) out.set(scope.meaning(e).key, e);
  return out;
}

function readsArrayElement(e: JsExpr): boolean {
  let found = false;
  forEachSubexpression(e, (x) => {
    if (x.k === "index") found = true;
  });
  return found;
}
