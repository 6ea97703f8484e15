/**
 * The reverse sweep: statements in reverse order, each replaced by its adjoint statements
 * (`x_adj__ += result_adj · ∂result/∂x`), restoring overwritten values from the tape just before
 * the statement that overwrote them is differentiated; each call's partials come from its
 * primitive's rule (src/primitives). Statements that do not depend on the parameters produce no
 * adjoint code.
 */
import { fail } from "../common/diagnostics";
import { KERNEL_RULES, SCALAR_RULES } from "../primitives/registry";
import { partialsUsage } from "../primitives/formulaUsage";
import { type Arg, type IrVar, type LStmt, type SExpr, forEachRead, guardKept, isActive } from "../ir/ir";
import { collectWritten, walkExprs } from "../ir/mapIr";
import { type JsExpr, type JsStmt, JS_POP, isLeaf, jsBinary, jsCall, jsIndex, jsKey, jsLit, jsMul, jsName, jsNeg, onlyComments } from "../ir/jsIr";
import { jsTreeBuilder, kernelArgs, scalarValue, toJs } from "../ir/toJsIr";
import { Emitter, baseName, kernelCalls, partialName, usesOut } from "./emitter";
import { elementOffset, elementView, single } from "./forward";
import { forEachReadAt, indexKey } from "./keys";

// ---------------------------------------------------------------------------------------------
// Reverse sweep

/** Depth of call nesting of the expressions `bindNestedCalls` has visited. */
const callDepths = new WeakMap<SExpr, number>();

export class Reverse {
  /** Control statements that need their branch / bounds / trips on the tape. */
  readonly tapedControl = new Set<LStmt>();
  private current: LStmt | undefined;
  private loopDepth = 0;
  /** Keys in `em.bound` of nested call values named by `bindNestedCalls` (while their statement is written). */
  private readonly nestedBound = new Set<string>();

  constructor(
    readonly em: Emitter,
    private readonly assigned: ReadonlySet<IrVar>,
    private readonly onRead?: (v: IrVar, s: LStmt, post: boolean, at: SExpr | undefined) => void,
  ) {}

  /** A value for use in adjoint code; records the variables it reads. */
  private val(e: SExpr): JsExpr {
    this.reads(e);
    return toJs(e, this.em.ctx);
  }

  /** Records the variables `e` reads; `post` = the value just after the current statement ran. */
  private reads(e: Arg, post = false): void {
    const s = this.current;
    if (!s || !this.onRead) return;
    forEachReadAt(e, (v, at) => this.onRead?.(v, s, post, at));
  }

  /** Only data and loop variables can be re-evaluated in the reverse sweep without the tape. */
  private pure(e: SExpr): boolean {
    let ok = true;
    forEachRead(e, (v) => {
      if (v.role !== "loop" && this.assigned.has(v)) ok = false;
      if (v.active) ok = false;
    });
    const calls: Extract<SExpr, { k: "call" }>[] = [];
    kernelCalls(e, calls);
    return ok && calls.length === 0;
  }

  /** The adjoint statements of `stmts`, in reverse order. */
  stmts(stmts: readonly LStmt[], out: JsStmt[] = []): JsStmt[] {
    // groups start at comments (the Stan line a group implements); reverse groups, then statements
    const groups: LStmt[][] = [];
    for (const s of stmts) {
      if (s.k === "comment" || groups.length === 0) groups.push([]);
      groups[groups.length - 1].push(s);
    }
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g];
      const inner: JsStmt[] = [];
      for (let i = group.length - 1; i >= 0; i--) {
        if (group[i].k !== "comment") this.stmt(group[i], inner);
      }
      if (onlyComments(inner)) continue;
      const head = group[0];
      if (head.k === "comment") {
        out.push({ k: "comment", text: `adjoint of ${baseName(head.loc.span.file || this.em.m.file)}:${head.loc.span.start.line}  ${head.loc.text}` });
      }
      out.push(...inner);
    }
    return out;
  }

  private stmt(s: LStmt, out: JsStmt[]): void {
    const prev = this.current;
    this.current = s;
    try {
      this.stmtInner(s, out);
    } finally {
      this.current = prev;
    }
  }

  private stmtInner(s: LStmt, out: JsStmt[]): void {
    const em = this.em;
    switch (s.k) {
      case "assign":
        return this.assign(s, out);
      case "target":
        if (s.jacobian && !em.jacobian) return;
        if (!isActive(s.e)) return;
        this.block(out, (b) => this.prop(s.e, jsLit("1"), b));
        return;
      case "for": {
        // adjoints the loop only adds to, at an element that does not change in the loop
        // (b_adj[k] in Σ_n over a column): summed in a register, added once after the loop
        const sums = this.loopInvariantAdjoints(s);
        const before = new Map(em.registerAdjoints);
        for (const x of sums) em.registerAdjoints.set(x.key, { name: x.name, used: false });
        this.loopDepth++;
        const body = this.stmts(s.body);
        this.loopDepth--;
        const used = sums.filter((x) => em.registerAdjoints.get(x.key)?.used);
        em.registerAdjoints.clear();
        for (const [k, x] of before) em.registerAdjoints.set(k, x);
        if (onlyComments(body)) return;
        // a joint-mode loop was differentiated during the forward sweep
        if (this.em.plan.joint.has(s) && this.em.reverseBody) return;
        this.requireNoJumps(s.body, s);
        const v = em.varName(s.v);
        const sumsBefore = used.map((x): JsStmt => ({ k: "decl", kind: "let", name: x.name, init: jsLit("0") }));
        const sumsAfter = () => used.map((x): JsStmt => ({ k: "assign", target: em.adjRef({ v: x.v, at: x.at }), op: "+=", value: jsName(x.name) }));
        if (this.pure(s.lo) && this.pure(s.hi)) {
          this.reads(s.lo);
          this.reads(s.hi);
          out.push(...sumsBefore);
          out.push({ k: "for", v, from: em.expr(s.hi), test: ">=", to: em.expr(s.lo), step: "--", body });
          out.push(...sumsAfter());
        } else {
          this.tapedControl.add(s);
          const lo = em.fresh("lo");
          const hi = em.fresh("hi");
          out.push({
            k: "block",
            body: [
              { k: "decl", kind: "const", name: hi, init: JS_POP },
              { k: "decl", kind: "const", name: lo, init: JS_POP },
              ...sumsBefore,
              { k: "for", v, from: jsName(hi), test: ">=", to: jsName(lo), step: "--", body },
              ...sumsAfter(),
            ],
          });
        }
        return;
      }
      case "while": {
        this.loopDepth++;
        const body = this.stmts(s.body);
        this.loopDepth--;
        if (onlyComments(body)) return;
        this.requireNoJumps(s.body, s);
        this.tapedControl.add(s);
        const n = em.fresh("trips");
        const k = em.fresh("k");
        out.push({
          k: "block",
          body: [
            { k: "decl", kind: "const", name: n, init: JS_POP },
            { k: "for", v: k, from: jsLit("0"), test: "<", to: jsName(n), step: "++", body },
          ],
        });
        return;
      }
      case "if": {
        const then = this.stmts(s.then);
        const otherwise = this.stmts(s.otherwise);
        if (onlyComments(then) && onlyComments(otherwise)) return;
        if (s.cond.k === "num" && s.cond.text === "1") {
          out.push(...then);
          return;
        }
        let test: JsExpr;
        if (this.pure(s.cond)) {
          this.reads(s.cond);
          test = em.cond(s.cond);
        } else {
          this.tapedControl.add(s);
          test = jsBinary("!==", JS_POP, jsLit("0"));
        }
        out.push({ k: "if", cond: test, then, otherwise: onlyComments(otherwise) ? [] : otherwise });
        return;
      }
      case "fill":
        // every element is overwritten with a constant: what reached it before does not count
        if (s.v.active) out.push({ k: "effect", e: jsCall(`${em.adjName(s.v)}.fill`, jsLit("0")) });
        return;
      case "transform": {
        em.m.imports.add(`${s.kernel}_constrain_adj`);
        const sizes = s.sizes.map((x) => em.expr(x));
        const tail = [...sizes, jsLit(em.jacobian ? "1" : "0"), jsName("grad__")];
        const fn = `${s.kernel}_constrain_adj`;
        if (single(s)) {
          out.push({ k: "effect", e: jsCall(fn, em.name(s.v), em.adj(s.v), jsName("theta__"), em.expr(s.offset), ...tail) });
        } else {
          const call = jsCall(fn, elementView(s.v.js, ""), elementView(s.v.js, "adj_"), jsName("theta__"), elementOffset(em, s), ...tail);
          out.push({ k: "for", v: "k__", from: jsBinary("-", em.expr(s.count), jsLit("1")), test: ">=", to: jsLit("0"), step: "--", body: [{ k: "effect", e: call }], compact: true });
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Array elements read in the loop at an index the loop does not change, whose variable the loop
   * never assigns: their adjoints only accumulate there.
   */
  private loopInvariantAdjoints(loop: Extract<LStmt, { k: "for" }>): { key: string; name: string; v: IrVar; at: SExpr }[] {
    const written = new Set<IrVar>();
    collectWritten([loop], written);
    const out = new Map<string, { key: string; name: string; v: IrVar; at: SExpr }>();
    walkExprs(loop.body, (e) =>
      forEachReadAt(e, (v, at) => {
        if (at === undefined || !v.active || v.dims.length === 0 || written.has(v) || v.role === "theta") return;
        if (this.em.plan.promoted.has(v)) return;
        let invariant = true;
        forEachRead(at, (x) => (invariant &&= !written.has(x)));
        if (!invariant) return;
        const key = `${v.id}|${indexKey(at)}`;
        if (!out.has(key) && !this.em.registerAdjoints.has(key)) out.set(key, { key, name: this.em.fresh(`${v.js}_sum`), v, at });
      }),
    );
    return [...out.values()];
  }

  private requireNoJumps(stmts: readonly LStmt[], loop: LStmt): void {
    const visit = (ss: readonly LStmt[]) => {
      for (const s of ss) {
        if (s.k === "break" || s.k === "continue") {
          fail(
            "Semantic error",
            s.loc?.span ?? loop.loc?.span,
            `stan2ts cannot yet differentiate a loop that uses '${s.k}' and depends on parameters.`,
          );
        }
        if (s.k === "if") {
          visit(s.then);
          visit(s.otherwise);
        }
      }
    };
    visit(stmts);
  }

  /** The statements `fn` adds, in a block of their own when they declare constants. */
  private block(out: JsStmt[], fn: (b: JsStmt[]) => void): void {
    const b: JsStmt[] = [];
    fn(b);
    if (b.length === 0) return;
    if (declaresConstant(b)) out.push({ k: "block", body: b });
    else out.push(...b);
  }

  private assign(s: Extract<LStmt, { k: "assign" }>, out: JsStmt[]): void {
    const em = this.em;
    const active = s.lhs.v.active;
    const saved = em.plan.saves.has(s);
    if (!active && !saved) return;
    this.block(out, (b) => {
      let a: JsExpr | undefined;
      const rhsActive = isActive(s.rhs);
      // exp-like rules reuse their result: read it from the left-hand side before it is restored
      let result: JsExpr | undefined;
      const reciprocal = s.rhs.k === "bin" && s.rhs.op === "/" && s.rhs.l.k === "num" && Number(s.rhs.l.text) === 1 && !s.rhs.isInt;
      if (active && rhsActive && s.op === "=" && ((s.rhs.k === "call" && usesOut(s.rhs.fn)) || reciprocal)) {
        const name = em.fresh("y");
        if (s.lhs.at) this.reads(s.lhs.at);
        this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at }, true);
        b.push({ k: "decl", kind: "const", name, init: em.lvalue(s.lhs) });
        result = jsName(name);
      }
      if (active) {
        if (s.lhs.at) this.reads(s.lhs.at);
        const ref = em.adjRef(s.lhs);
        const needA = rhsActive || s.op === "*=" || s.op === "/=";
        if (needA && (s.op === "=" || s.op === "*=" || s.op === "/=" || rhsActive)) {
          const name = em.fresh("g");
          b.push({ k: "decl", kind: "const", name, init: ref });
          a = jsName(name);
        }
        if (s.op === "=" || (s.op === "*=" && rhsActive) || (s.op === "/=" && rhsActive))
          b.push({ k: "assign", target: ref, op: "=", value: jsLit("0") });
      }
      if (saved) {
        if (s.lhs.at) this.reads(s.lhs.at);
        b.push({ k: "assign", target: em.lvalue(s.lhs), op: "=", value: JS_POP });
      }
      if (!active) return;
      const ref = em.adjRef(s.lhs);
      switch (s.op) {
        case "=":
        case "+=":
          if (rhsActive && a) {
            if (result !== undefined && s.rhs.k === "call") this.propCall(s.rhs, a, b, result);
            else if (result !== undefined && s.rhs.k === "bin") {
              // x = 1 / r: ∂x/∂r = −1/r² = −x²
              b.push({ k: "comment", text: "∂/∂r (1 / r) = −1 / r² = −(1 / r)²" });
              this.prop(s.rhs.r, jsBinary("*", jsBinary("*", jsNeg(a), result), result), b);
            } else this.prop(s.rhs, a, b);
          }
          return;
        case "-=":
          if (rhsActive && a) this.prop(s.rhs, jsNeg(a), b);
          return;
        case "*=": {
          // x = x·r: ∂/∂x = r, ∂/∂r = x (old x, restored above)
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.push({ k: "assign", target: ref, op: "+=", value: jsMul(a, r) });
            this.prop(s.rhs, jsMul(a, em.lvalue(s.lhs)), b);
          } else {
            b.push({ k: "assign", target: ref, op: "*=", value: r });
          }
          return;
        }
        case "/=": {
          // x = x / r: ∂/∂x = 1/r, ∂/∂r = −x / r²
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.push({ k: "assign", target: ref, op: "+=", value: jsBinary("/", a, r) });
            this.prop(s.rhs, jsBinary("/", jsBinary("*", jsNeg(a), em.lvalue(s.lhs)), jsBinary("*", r, r)), b);
          } else {
            b.push({ k: "assign", target: ref, op: "/=", value: r });
          }
          return;
        }
      }
    });
  }

  /** Values already bound in a block, so a partial never recomputes what an earlier one bound. */
  private readonly bound = new WeakMap<JsStmt[], Map<string, JsExpr>>();

  /** `g` bound to a constant in `out`, unless it is a name or a literal already. */
  private bind(g: JsExpr, out: JsStmt[], hint = "g"): JsExpr {
    if (isLeaf(g)) return g;
    let memo = this.bound.get(out);
    if (!memo) {
      memo = new Map();
      this.bound.set(out, memo);
    }
    const key = jsKey(g);
    const known = memo.get(key);
    if (known) return known;
    const name = this.em.fresh(hint);
    out.push({ k: "decl", kind: "const", name, init: g });
    const ref = jsName(name);
    memo.set(key, ref);
    return ref;
  }

  /** Accumulates `g` (the adjoint of e) into the adjoints of the active variables e reads. */
  prop(e: SExpr, g: JsExpr, out: JsStmt[]): void {
    if (!isActive(e)) return;
    const em = this.em;
    switch (e.k) {
      case "read":
        if (e.at) this.reads(e.at);
        out.push({ k: "assign", target: em.adjRef(e), op: "+=", value: g });
        return;
      case "neg":
        this.prop(e.e, jsNeg(g), out);
        return;
      case "cond": {
        // each branch gets its own statements: constants bound in one are not visible in the other
        const t: JsStmt[] = [];
        const f: JsStmt[] = [];
        this.reads(e.c);
        const gb = this.bind(g, out);
        this.prop(e.t, gb, t);
        this.prop(e.f, gb, f);
        out.push({ k: "if", cond: em.cond(e.c), then: t, otherwise: f });
        return;
      }
      case "bin": {
        const la = isActive(e.l);
        const ra = isActive(e.r);
        const g1 = la && ra ? this.bind(g, out) : g;
        switch (e.op) {
          case "+":
            this.prop(e.l, g1, out);
            this.prop(e.r, g1, out);
            return;
          case "-":
            this.prop(e.l, g1, out);
            this.prop(e.r, jsNeg(g1), out);
            return;
          case "*":
            if (la) this.prop(e.l, jsMul(g1, this.val(e.r)), out);
            if (ra) this.prop(e.r, jsMul(g1, this.val(e.l)), out);
            return;
          case "/": {
            const r = this.val(e.r);
            if (la) this.prop(e.l, jsBinary("/", g1, r), out);
            if (ra) {
              // ∂(l / r)/∂r = −l / r²
              const q = this.bind(jsBinary("/", this.val(e.l), r), out, "q");
              this.prop(e.r, jsBinary("/", { k: "unary", op: "-", e: jsMul(g1, q) }, r), out);
            }
            return;
          }
          case "^": {
            const l = this.val(e.l);
            const r = this.val(e.r);
            if (la) {
              out.push({ k: "comment", text: "∂/∂x x^y = y x^(y−1)" });
              this.em.useFunction("pow");
              this.prop(e.l, jsMul(g1, jsBinary("*", r, jsCall("pow", l, jsBinary("-", r, jsLit("1"))))), out);
            }
            if (ra) {
              out.push({ k: "comment", text: "∂/∂y x^y = x^y log x" });
              this.em.useFunction("pow");
              this.em.useFunction("log");
              this.prop(e.r, jsMul(g1, jsBinary("*", jsCall("pow", l, r), jsCall("log", l))), out);
            }
            return;
          }
          default:
            return;
        }
      }
      case "call": {
        // f(g(h(…))): the values of nested calls get a name first, innermost first, so the
        // partials of the outer calls read a name instead of repeating the nest below them,
        // and the adjoint passed down is named at each level: the code stays linear in the depth
        const added = this.bindNestedCalls(e, out);
        const nested = this.nestedBound.size > 0 && e.args.some((a) => a.k !== "whole" && this.nestedBound.has(indexKey(a) as string));
        this.propCall(e, nested ? this.bind(g, out) : g, out);
        for (const key of added) {
          em.bound.delete(key);
          this.nestedBound.delete(key);
        }
        return;
      }
      case "guard":
        if (guardKept(e)) this.prop(e.e, g, out);
        return;
      default:
        return;
    }
  }

  /**
   * Binds `const zN__ = …` for each argument of a call in `e` that itself contains nested calls
   * (two or more levels), innermost first, in `em.bound` (which printing substitutes); returns
   * the keys added, for the caller to drop once the statement's adjoint code is written.
   */
  private bindNestedCalls(e: Extract<SExpr, { k: "call" }>, out: JsStmt[]): string[] {
    const em = this.em;
    const added: string[] = [];
    /** Visits x post-order and returns the depth of call nesting in it. */
    const visit = (x: SExpr): number => {
      switch (x.k) {
        case "bin":
          return Math.max(visit(x.l), visit(x.r));
        case "neg":
        case "not":
          return visit(x.e);
        case "cond":
          return Math.max(visit(x.c), visit(x.t), visit(x.f));
        case "guard":
          return guardKept(x) ? visit(x.e) : 0;
        case "call": {
          let depth = 0;
          for (const a of x.args) {
            if (a.k === "whole") continue;
            const key = indexKey(a) as string;
            // named by an enclosing call's pass already, with everything below it: not revisited
            // (each level of a nest would otherwise walk the whole nest again)
            const known = em.bound.has(key) ? callDepths.get(a) : undefined;
            const d = known ?? visit(a);
            callDepths.set(a, d);
            depth = Math.max(depth, d);
            if (known !== undefined || d < 2 || !isActive(a)) continue;
            if (em.bound.has(key)) continue;
            const name = em.fresh("z");
            this.reads(a);
            out.push({ k: "decl", kind: "const", name, init: em.expr(a) });
            const reads = new Set<IrVar>();
            forEachRead(a, (v) => reads.add(v));
            em.bound.set(key, { name, reads });
            this.nestedBound.add(key);
            added.push(key);
          }
          return depth + 1;
        }
        default:
          return 0;
      }
    };
    visit(e);
    return added;
  }

  private propCall(
    e: Extract<SExpr, { k: "call" }>,
    g: JsExpr,
    out: JsStmt[],
    outValue?: JsExpr,
  ): void {
    const em = this.em;
    const rule = SCALAR_RULES.get(e.fn);
    if (rule) {
      if (!rule.partials) return;
      const scalarArgs = e.args as SExpr[];
      // which argument values and whether the result itself the partials need
      const usage = partialsUsage(rule);
      const needsOut = usage.out;
      const needsArg = scalarArgs.map((_, i) => usage.args[i] || (needsOut && outValue === undefined));
      // bind argument values (and the result) so nothing is computed twice
      const args = scalarArgs.map((a, i) => {
        if (!needsArg[i]) return jsLit("NaN");
        const v = this.val(a);
        return isAtomic(v) ? v : this.bind(v, out, "x");
      });
      const use = (f: string) => em.m.imports.add(f);
      const result = needsOut ? (outValue ?? this.bind(scalarValue(rule, args, use), out, "y")) : jsLit("NaN");
      const partials = rule.partials(jsTreeBuilder(use), args, result);
      const active = scalarArgs.map((a) => isActive(a));
      const g1 = active.filter((x) => x).length > 1 ? this.bind(g, out) : g;
      scalarArgs.forEach((a, i) => {
        if (!active[i]) return;
        if (rule.math?.[i]) out.push({ k: "comment", text: rule.math[i] });
        this.prop(a, jsMul(g1, partials[i]), out);
      });
      return;
    }
    const kernel = KERNEL_RULES.get(e.fn);
    if (!kernel) {
      return fail("Semantic error", e.span, `stan2ts has no gradient rule for '${e.fn}'.`);
    }
    const bufs = em.partialBuffers(e);
    if (!em.plan.forwardPartials.has(e.site)) {
      // inside a loop: recompute value and partials here, from the (restored) argument values
      for (const a of e.args) this.reads(a);
      const args = kernelArgs(e, em.ctx);
      em.m.imports.add(`${e.fn}_vp`);
      out.push({ k: "effect", e: jsCall(`${e.fn}_vp`, ...args, ...(kernel.propto ? [jsLit(String(e.propto))] : []), ...bufs) });
    }
    const active = e.args.map((a) => isActive(a));
    const g1 = active.filter((x) => x).length > 1 ? this.bind(g, out) : g;
    e.args.forEach((a, i) => {
      if (!active[i]) return;
      const d = jsName(partialName(e.site, i));
      if (kernel.partials[i]) out.push({ k: "comment", text: kernel.partials[i] });
      if (a.k === "whole") {
        const k = em.fresh("k");
        out.push({
          k: "for",
          v: k,
          from: jsLit("0"),
          test: "<",
          // (a buffer sized at run time is longer than the container it now holds)
          to: a.v.capacity ? em.currentLength(a.v) : jsName(`${partialName(e.site, i)}.length`),
          step: "++",
          body: [{ k: "assign", target: jsIndex(em.adj(a.v), jsName(k)), op: "+=", value: jsMul(g1, jsIndex(d, jsName(k))) }],
          compact: true,
        });
      } else {
        this.prop(a, jsMul(g1, jsIndex(d, jsLit("0"))), out);
      }
    });
  }
}


/** Used in place without a temporary (as it was: a name, a call, an element, a plain literal). */
function isAtomic(e: JsExpr): boolean {
  if (e.k === "lit") return !/[\s+\-*/%<>=!?:&|,]/.test(e.text);
  return e.k !== "unary" && e.k !== "binary" && e.k !== "cond";
}

/** Whether the statements declare a constant anywhere (they then need a block of their own). */
function declaresConstant(stmts: readonly JsStmt[]): boolean {
  return stmts.some(
    (s) =>
      (s.k === "decl" && s.kind === "const") ||
      ((s.k === "if") && (declaresConstant(s.then) || declaresConstant(s.otherwise))) ||
      ((s.k === "for" || s.k === "while" || s.k === "block") && declaresConstant(s.body)),
  );
}
