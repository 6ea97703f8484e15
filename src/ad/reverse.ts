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
import { atomOut, multiplyText, isAtomic, jsBuilder, scalarValueJs, kernelArgs, printExpr, unwrapParens } from "../ir/printJs";
import { Emitter, Writer, baseName, kernelCalls, partialName, usesOut } from "./emitter";
import { bound, single } from "./forward";
import { jsCommentText } from "../ir/names";
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

  /** Value text for use in adjoint code; records the variables it reads. */
  private val(e: SExpr): string {
    this.reads(e);
    return printExpr(e, this.em.print);
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

  stmts(stmts: readonly LStmt[], w: Writer): void {
    // groups start at comments (the Stan line a group implements); reverse groups, then statements
    const groups: LStmt[][] = [];
    for (const s of stmts) {
      if (s.k === "comment" || groups.length === 0) groups.push([]);
      groups[groups.length - 1].push(s);
    }
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g];
      const inner = new Writer();
      for (let i = group.length - 1; i >= 0; i--) {
        if (group[i].k !== "comment") this.stmt(group[i], inner);
      }
      if (inner.empty) continue;
      const head = group[0];
      if (head.k === "comment") {
        w.line(
          `// adjoint of ${jsCommentText(`${baseName(head.loc.span.file || this.em.m.file)}:${head.loc.span.start.line}  ${head.loc.text}`)}`,
        );
      }
      w.append(inner);
    }
  }

  private stmt(s: LStmt, w: Writer): void {
    const prev = this.current;
    this.current = s;
    try {
      this.stmtInner(s, w);
    } finally {
      this.current = prev;
    }
  }

  private stmtInner(s: LStmt, w: Writer): void {
    const em = this.em;
    switch (s.k) {
      case "assign":
        return this.assign(s, w);
      case "target":
        if (s.jacobian && !em.jacobian) return;
        if (!isActive(s.e)) return;
        this.block(w, (b) => this.prop(s.e, "1", b));
        return;
      case "for": {
        const body = new Writer();
        // adjoints the loop only adds to, at an element that does not change in the loop
        // (b_adj[k] in Σ_n over a column): summed in a register, added once after the loop
        const sums = this.loopInvariantAdjoints(s);
        const before = new Map(em.registerAdjoints);
        for (const x of sums) em.registerAdjoints.set(x.key, { name: x.name, used: false });
        this.loopDepth++;
        this.stmts(s.body, body);
        this.loopDepth--;
        const used = sums.filter((x) => em.registerAdjoints.get(x.key)?.used);
        em.registerAdjoints.clear();
        for (const [k, x] of before) em.registerAdjoints.set(k, x);
        if (body.empty) return;
        // a joint-mode loop was differentiated during the forward sweep
        if (this.em.plan.joint.has(s) && this.em.reverseBody) return;
        this.requireNoJumps(s.body, s);
        const v = em.varName(s.v);
        if (this.pure(s.lo) && this.pure(s.hi)) {
          this.reads(s.lo);
          this.reads(s.hi);
          for (const x of used) w.line(`let ${x.name} = 0;`);
          w.line(`for (let ${v} = ${em.expr(s.hi)}; ${v} >= ${bound(em, s.lo)}; ${v}--) {`);
          w.append(body);
          w.line(`}`);
          for (const x of used) w.line(`${em.adjRef({ v: x.v, at: x.at })} += ${x.name};`);
        } else {
          this.tapedControl.add(s);
          const lo = em.fresh("lo");
          const hi = em.fresh("hi");
          w.line(`{`);
          w.line(`const ${hi} = tape__[--tp__];`);
          w.line(`const ${lo} = tape__[--tp__];`);
          for (const x of used) w.line(`let ${x.name} = 0;`);
          w.line(`for (let ${v} = ${hi}; ${v} >= ${lo}; ${v}--) {`);
          w.append(body);
          w.line(`}`);
          for (const x of used) w.line(`${em.adjRef({ v: x.v, at: x.at })} += ${x.name};`);
          w.line(`}`);
        }
        return;
      }
      case "while": {
        const body = new Writer();
        this.loopDepth++;
        this.stmts(s.body, body);
        this.loopDepth--;
        if (body.empty) return;
        this.requireNoJumps(s.body, s);
        this.tapedControl.add(s);
        const n = em.fresh("trips");
        const k = em.fresh("k");
        w.line(`{`);
        w.line(`const ${n} = tape__[--tp__];`);
        w.line(`for (let ${k} = 0; ${k} < ${n}; ${k}++) {`);
        w.append(body);
        w.line(`}`);
        w.line(`}`);
        return;
      }
      case "if": {
        const then = new Writer();
        const otherwise = new Writer();
        this.stmts(s.then, then);
        this.stmts(s.otherwise, otherwise);
        if (then.empty && otherwise.empty) return;
        if (s.cond.k === "num" && s.cond.text === "1") {
          w.append(then);
          return;
        }
        let test: string;
        if (this.pure(s.cond)) {
          this.reads(s.cond);
          test = em.cond(s.cond);
        } else {
          this.tapedControl.add(s);
          test = `tape__[--tp__] !== 0`;
        }
        w.line(`if (${test}) {`);
        w.append(then);
        if (!otherwise.empty) {
          w.line(`} else {`);
          w.append(otherwise);
        }
        w.line(`}`);
        return;
      }
      case "fill":
        // every element is overwritten with a constant: what reached it before does not count
        if (s.v.active) w.line(`${em.adjName(s.v)}.fill(0);`);
        return;
      case "transform": {
        em.m.imports.add(`${s.kernel}_constrain_adj`);
        const v = em.varName(s.v);
        const sizes = s.sizes.map((x) => em.expr(x)).join(", ");
        if (single(s)) {
          w.line(
            `${s.kernel}_constrain_adj(${v}, ${em.adjName(s.v)}, theta__, ${em.expr(s.offset)}, ${sizes}, ${em.jacobian ? 1 : 0}, grad__);`,
          );
        } else {
          w.line(
            `for (let k__ = ${em.expr(s.count)} - 1; k__ >= 0; k__--) ${s.kernel}_constrain_adj(${s.v.js}_views__[k__], ${s.v.js}_adj_views__[k__], theta__, ${em.expr(s.offset)} + k__ * (${em.expr(s.freeSize)}), ${sizes}, ${em.jacobian ? 1 : 0}, grad__);`,
          );
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

  private block(w: Writer, fn: (b: Writer) => void): void {
    const b = new Writer();
    fn(b);
    if (b.lines.length === 0) return;
    const declares = b.lines.some((l) => l.startsWith("const "));
    if (declares) w.line("{");
    w.append(b);
    if (declares) w.line("}");
  }

  private assign(s: Extract<LStmt, { k: "assign" }>, w: Writer): void {
    const em = this.em;
    const active = s.lhs.v.active;
    const saved = em.plan.saves.has(s);
    if (!active && !saved) return;
    this.block(w, (b) => {
      let a: string | undefined;
      const rhsActive = isActive(s.rhs);
      // exp-like rules reuse their result: read it from the left-hand side before it is restored
      let out: string | undefined;
      const reciprocal = s.rhs.k === "bin" && s.rhs.op === "/" && s.rhs.l.k === "num" && Number(s.rhs.l.text) === 1 && !s.rhs.isInt;
      if (active && rhsActive && s.op === "=" && ((s.rhs.k === "call" && usesOut(s.rhs.fn)) || reciprocal)) {
        out = em.fresh("y");
        if (s.lhs.at) this.reads(s.lhs.at);
        this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at }, true);
        b.line(`const ${out} = ${em.lvalue(s.lhs)};`);
      }
      if (active) {
        if (s.lhs.at) this.reads(s.lhs.at);
        const ref = em.adjRef(s.lhs);
        const needA = rhsActive || s.op === "*=" || s.op === "/=";
        if (needA && (s.op === "=" || s.op === "*=" || s.op === "/=" || rhsActive)) {
          a = em.fresh("g");
          b.line(`const ${a} = ${ref};`);
        }
        if (s.op === "=" || (s.op === "*=" && rhsActive) || (s.op === "/=" && rhsActive))
          b.line(`${ref} = 0;`);
      }
      if (saved) {
        if (s.lhs.at) this.reads(s.lhs.at);
        b.line(`${em.lvalue(s.lhs)} = tape__[--tp__];`);
      }
      if (!active) return;
      const ref = em.adjRef(s.lhs);
      switch (s.op) {
        case "=":
        case "+=":
          if (rhsActive && a) {
            if (out !== undefined && s.rhs.k === "call") this.propCall(s.rhs, a, b, out);
            else if (out !== undefined && s.rhs.k === "bin") {
              // x = 1 / r: ∂x/∂r = −1/r² = −x²
              b.line(`// ∂/∂r (1 / r) = −1 / r² = −(1 / r)²`);
              this.prop(s.rhs.r, `-${wrapAtom(a)} * ${out} * ${out}`, b);
            } else this.prop(s.rhs, a, b);
          }
          return;
        case "-=":
          if (rhsActive && a) this.prop(s.rhs, neg(a), b);
          return;
        case "*=": {
          // x = x·r: ∂/∂x = r, ∂/∂r = x (old x, restored above)
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.line(`${ref} += ${mul(a, r)};`);
            this.prop(s.rhs, mul(a, em.lvalue(s.lhs)), b);
          } else {
            b.line(`${ref} *= ${wrapAtom(r)};`);
          }
          return;
        }
        case "/=": {
          // x = x / r: ∂/∂x = 1/r, ∂/∂r = −x / r²
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.line(`${ref} += ${a} / ${wrapAtom(r)};`);
            this.prop(
              s.rhs,
              `-${wrapAtom(a)} * ${wrapAtom(em.lvalue(s.lhs))} / (${wrapAtom(r)} * ${wrapAtom(r)})`,
              b,
            );
          } else {
            b.line(`${ref} /= ${wrapAtom(r)};`);
          }
          return;
        }
      }
    });
  }

  /** Values already bound in a block, so a partial never recomputes what an earlier one bound. */
  private readonly bound = new WeakMap<Writer, Map<string, string>>();

  /** Binds `g` to a constant unless it is already a name or a number. */
  private bind(g: string, w: Writer, hint = "g"): string {
    if (/^[\w$.]+$/.test(g) || /^-?\d+(\.\d+)?$/.test(g)) return g;
    let memo = this.bound.get(w);
    if (!memo) {
      memo = new Map();
      this.bound.set(w, memo);
    }
    const key = unwrapParens(g);
    const known = memo.get(key);
    if (known) return known;
    const n = this.em.fresh(hint);
    w.line(`const ${n} = ${g};`);
    memo.set(key, n);
    return n;
  }

  /** Accumulates `g` (the adjoint of e) into the adjoints of the active variables e reads. */
  prop(e: SExpr, g: string, w: Writer): void {
    if (!isActive(e)) return;
    const em = this.em;
    switch (e.k) {
      case "read":
        if (e.at) this.reads(e.at);
        w.line(`${em.adjRef(e)} += ${g};`);
        return;
      case "neg":
        this.prop(e.e, neg(g), w);
        return;
      case "cond": {
        // each branch gets its own writer: constants bound in one are not visible in the other
        const t = new Writer();
        const f = new Writer();
        this.reads(e.c);
        const gb = this.bind(g, w);
        this.prop(e.t, gb, t);
        this.prop(e.f, gb, f);
        w.line(`if (${em.cond(e.c)}) {`);
        w.append(t);
        w.line(`} else {`);
        w.append(f);
        w.line(`}`);
        return;
      }
      case "bin": {
        const la = isActive(e.l);
        const ra = isActive(e.r);
        const g1 = la && ra ? this.bind(g, w) : g;
        switch (e.op) {
          case "+":
            this.prop(e.l, g1, w);
            this.prop(e.r, g1, w);
            return;
          case "-":
            this.prop(e.l, g1, w);
            this.prop(e.r, neg(g1), w);
            return;
          case "*":
            if (la) this.prop(e.l, mul(g1, this.val(e.r)), w);
            if (ra) this.prop(e.r, mul(g1, this.val(e.l)), w);
            return;
          case "/": {
            const r = this.val(e.r);
            if (la) this.prop(e.l, `${wrapAtom(g1)} / ${wrapAtom(r)}`, w);
            if (ra) {
              // ∂(l / r)/∂r = −l / r²
              const q = this.bind(`${wrapAtom(this.val(e.l))} / ${wrapAtom(r)}`, w, "q");
              this.prop(e.r, `-${wrapAtom(mul(g1, q))} / ${wrapAtom(r)}`, w);
            }
            return;
          }
          case "^": {
            const l = this.val(e.l);
            const r = this.val(e.r);
            if (la) {
              w.line(`// ∂/∂x x^y = y x^(y−1)`);
              this.em.useFunction("pow");
              this.prop(e.l, mul(g1, `${wrapAtom(r)} * pow(${l}, ${r} - 1)`), w);
            }
            if (ra) {
              w.line(`// ∂/∂y x^y = x^y log x`);
              this.em.useFunction("pow");
              this.em.useFunction("log");
              this.prop(e.r, mul(g1, `pow(${l}, ${r}) * log(${l})`), w);
            }
            return;
          }
          default:
            return;
        }
      }
      case "call": {
        // f(g(h(…))): the values of nested calls get a name first, innermost first, so the
        // partials of the outer calls read a name instead of re-printing the nest below them,
        // and the adjoint passed down is named at each level: the text stays linear in the depth
        const added = this.bindNestedCalls(e, w);
        const nested = this.nestedBound.size > 0 && e.args.some((a) => a.k !== "whole" && this.nestedBound.has(indexKey(a) as string));
        this.propCall(e, nested ? this.bind(g, w) : g, w);
        for (const key of added) {
          em.bound.delete(key);
          this.nestedBound.delete(key);
        }
        return;
      }
      case "guard":
        if (guardKept(e)) this.prop(e.e, g, w);
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
  private bindNestedCalls(e: Extract<SExpr, { k: "call" }>, w: Writer): string[] {
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
            w.line(`const ${name} = ${em.expr(a)};`);
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
    g: string,
    w: Writer,
    outValue?: string,
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
      const argText = scalarArgs.map((a, i) => {
        if (!needsArg[i]) return "NaN";
        const t = this.val(a);
        return isAtomic(t) ? t : this.bind(t, w, "x");
      });
      const ctxArgs = argText.map((t) => atomOut(isAtomic(t) ? t : `(${t})`));
      const use = (f: string) => em.m.imports.add(f);
      const out = needsOut ? (outValue ?? this.bind(scalarValueJs(rule, ctxArgs, use).text, w, "y")) : "";
      const b = jsBuilder(use);
      const partials = rule.partials(b, ctxArgs, atomOut(out)).map((p) => p.text);
      const active = scalarArgs.map((a) => isActive(a));
      const g1 = active.filter((x) => x).length > 1 ? this.bind(g, w) : g;
      scalarArgs.forEach((a, i) => {
        if (!active[i]) return;
        if (rule.math?.[i]) w.line(`// ${rule.math[i]}`);
        this.prop(a, mul(g1, partials[i]), w);
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
      const args = kernelArgs(e, em.print);
      em.m.imports.add(`${e.fn}_vp`);
      w.line(
        `${e.fn}_vp(${[...args, ...(kernel.propto ? [String(e.propto)] : []), ...bufs].join(", ")});`,
      );
    }
    const active = e.args.map((a) => isActive(a));
    const g1 = active.filter((x) => x).length > 1 ? this.bind(g, w) : g;
    e.args.forEach((a, i) => {
      if (!active[i]) return;
      const d = partialName(e.site, i);
      if (kernel.partials[i]) w.line(`// ${kernel.partials[i]}`);
      if (a.k === "whole") {
        const k = em.fresh("k");
        w.line(
          `for (let ${k} = 0; ${k} < ${d}.length; ${k}++) ${em.adjName(a.v)}[${k}] += ${mul(g1, `${d}[${k}]`)};`,
        );
      } else {
        this.prop(a, mul(g1, `${d}[0]`), w);
      }
    });
  }
}


function wrapAtom(s: string): string {
  return isAtomic(s) ? s : `(${s})`;
}

function mul(a: string, b: string): string {
  if (a === "1") return b;
  if (b === "1") return a;
  return multiplyText(a, b);
}

function neg(a: string): string {
  if (a.startsWith("-") && isAtomic(a.slice(1))) return a.slice(1);
  return `-${wrapAtom(a)}`;
}
