/** Keys of IR expressions (for bound temporaries and register sums), and reads with their element index. */
import { type Arg, type IrVar, type SExpr, guardKept } from "../ir/ir";
import { structuralKey } from "../ir/mapIr";

/**
 * Keys of expression nodes, remembered per node: printing with `em.bound` substitutions asks for
 * the key of every node it prints, and a key costs the size of the node's subtree (nested calls
 * made that cubic in the depth). Nodes are immutable, and activity (which `guard` printing reads)
 * is settled before any key is asked for.
 */
const indexKeys = new WeakMap<SExpr, string>();
export function indexKey(e: SExpr | undefined): string | undefined {
  if (e === undefined) return undefined;
  let key = indexKeys.get(e);
  if (key === undefined) indexKeys.set(e, (key = structuralKey(e)));
  return key;
}

/** Like forEachRead, with the element index of each read (undefined = the whole variable). */
export function forEachReadAt(e: Arg, visit: (v: IrVar, at: SExpr | undefined) => void): void {
  switch (e.k) {
    case "whole":
      visit(e.v, undefined);
      // a container sized at run time is passed with its sizes, scalars the code assigned
      if (e.v.capacity) for (const d of e.v.dims) forEachReadAt(d, visit);
      return;
    case "num":
      return;
    case "read":
      visit(e.v, e.at);
      if (e.at) forEachReadAt(e.at, visit);
      return;
    case "bin":
      forEachReadAt(e.l, visit);
      forEachReadAt(e.r, visit);
      return;
    case "neg":
    case "not":
      forEachReadAt(e.e, visit);
      return;
    case "cond":
      forEachReadAt(e.c, visit);
      forEachReadAt(e.t, visit);
      forEachReadAt(e.f, visit);
      return;
    case "call":
      for (const a of e.args) forEachReadAt(a, visit);
      return;
    case "guard":
      if (guardKept(e)) forEachReadAt(e.e, visit);
      return;
  }
}

/** `x[at] = …` inside a loop writes a different element on every iteration of its innermost loop. */
