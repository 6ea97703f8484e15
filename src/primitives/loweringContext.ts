/**
 * What an expansion (`Primitive.expand`) may ask of the lowering: fresh temporaries, loops,
 * statements, and the lowering of other calls and operators. `Lowerer` (src/ir/lowerProgram.ts)
 * implements it; expansions program against this interface so src/primitives never imports the
 * lowering itself.
 */
import type { Span } from "../common/span";
import type { ElemType, IrVar, LStmt, Loc, SExpr, ValueBase } from "../ir/ir";
import type { ContainerValue, LIndex, Value } from "../ir/values";

export interface LoweringContext {
  /** The Stan statement being lowered (for statements an expansion emits). */
  readonly currentLoc: Loc | undefined;
  /** A fresh container temporary. */
  temp(elem: ElemType, base: ValueBase, arrayDims: number, dims: readonly SExpr[], hint?: string): IrVar;
  /** A fresh scalar temporary. */
  scalarTemp(elem: ElemType, hint?: string): IrVar;
  emit(s: LStmt): void;
  /** The statements `fn` emits, returned instead of emitted. */
  collect(fn: () => void): LStmt[];
  /** `for (i in 0:n-1) body(i)`. */
  loop(n: SExpr, body: (i: SExpr) => void, loc?: Loc): void;
  nextSite(): number;
  /** A call of a primitive with a scalar rule, on scalar arguments. */
  scalarCall(fn: string, args: SExpr[], sp: Span): SExpr;
  /** Any call (user function or primitive) on lowered arguments. */
  callWithValues(name: string, args: Value[], sp: Span, propto: boolean): Value;
  /** A binary operator (`+`, `*`, `.*`, …) on lowered operands. */
  binary(op: string, l: Value, r: Value, sp: Span): Value;
  zip(l: Value, r: Value, f: (a: SExpr, b: SExpr) => SExpr, sp: Span): Value;
  multiply(l: ContainerValue, r: ContainerValue, sp: Span): Value;
  dot(a: ContainerValue, b: ContainerValue): SExpr;
  sum(v: ContainerValue): SExpr;
  index(c: ContainerValue, idx: readonly LIndex[], sp: Span): Value;
  materialize(v: ContainerValue): IrVar;
  materializeValue(v: Value): Value;
}
