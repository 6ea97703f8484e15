/**
 * Compiler temporaries for the IR passes that add variables (a hoisted reciprocal `r12__`, a
 * transformed-data constant `hoisted14__`). The numbering continues the lowering's
 * (`IrProgram.tempCount`) and ids continue `vars`, so the names are the ones the lowering itself
 * would have made: unique, and stable from one compile to the next.
 */
import type { ElemType, IrProgram, IrVar, VarRole } from "./ir";

export class FreshVars {
  /** The JS names in use, collected on the first temporary (most passes add none). */
  private used: Set<string> | undefined;
  private readonly added: IrVar[] = [];
  private count: number;
  private nextId: number;

  constructor(private readonly program: IrProgram) {
    this.count = program.tempCount;
    this.nextId = program.vars.length;
  }

  /** A scalar temporary of the log density code (`${hint}N__`). */
  readonly scalarTemp = (hint: string): IrVar => this.numbered(hint, "real", "temp");

  /** A transformed-data constant (`hoistedN__`), bound once at data load. */
  readonly constant = (isInt: boolean): IrVar => this.numbered("hoisted", isInt ? "int" : "real", "transformed data");

  /** The program with `changes` applied and the variables made here appended. */
  result(changes: Partial<IrProgram>): IrProgram {
    const vars = this.added.length === 0 ? this.program.vars : [...this.program.vars, ...this.added];
    return { ...this.program, ...changes, vars, tempCount: this.count };
  }

  private numbered(hint: string, elem: ElemType, role: VarRole): IrVar {
    const used = (this.used ??= new Set(this.program.vars.map((v) => v.js)));
    const stanName = `${hint}${++this.count}__`;
    let js = stanName;
    if (used.has(js)) {
      let k = 2;
      while (used.has(`${stanName}_${k}__`)) k++;
      js = `${stanName}_${k}__`;
    }
    used.add(js);
    const v: IrVar = { id: this.nextId++, js, stanName, elem, base: elem, arrayDims: 0, dims: [], role, active: false };
    this.added.push(v);
    return v;
  }
}
