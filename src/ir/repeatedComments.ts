/**
 * Drops a comment that repeats the Stan line of the comment just before it (in the same list or
 * an enclosing one). Several IR statements implementing one Stan statement — a rewrite's whole
 * block of generated code, say — then show that line once, at their head.
 */
import type { LStmt, Loc } from "./ir";

export function dropRepeatedComments(stmts: readonly LStmt[], enclosing?: Loc): LStmt[] {
  const out: LStmt[] = [];
  let last = enclosing;
  for (const s of stmts) {
    if (s.k === "comment") {
      if (last && sameLine(last, s.loc)) continue;
      last = s.loc;
      out.push(s);
      continue;
    }
    if (s.k === "for" || s.k === "while") out.push({ ...s, body: dropRepeatedComments(s.body, last) });
    else if (s.k === "if") out.push({ ...s, then: dropRepeatedComments(s.then, last), otherwise: dropRepeatedComments(s.otherwise, last) });
    else out.push(s);
  }
  return out;
}

function sameLine(a: Loc, b: Loc): boolean {
  return a.span.file === b.span.file && a.span.start.line === b.span.start.line && a.text === b.text;
}
