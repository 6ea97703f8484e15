/** Test helper: an AST without spans, so trees from different sources compare structurally. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "span" || k === "nameSpan" || k === "distributionSpan" || k === "file") continue;
    if (k === "legacyArraySyntax") continue;
    if (v === undefined) continue;
    out[k] = withoutSpans(v);
  }
  return out;
}

/** Compact S-expression of an expression tree, for precedence tests. */
export function sexpr(e: unknown): string {
  const n = e as Record<string, any>;
  switch (n.kind) {
    case "IntLiteral":
    case "RealLiteral":
      return n.text;
    case "Variable":
      return n.name;
    case "BinaryOp":
      return `(${n.op} ${sexpr(n.left)} ${sexpr(n.right)})`;
    case "PrefixOp":
      return `(${n.op}u ${sexpr(n.operand)})`;
    case "Transpose":
      return `(' ${sexpr(n.operand)})`;
    case "TernaryIf":
      return `(? ${sexpr(n.condition)} ${sexpr(n.then)} ${sexpr(n.otherwise)})`;
    case "Paren":
      return `(paren ${sexpr(n.inner)})`;
    case "FunctionCall":
      return `(${n.name}${n.conditional ? "|" : ""} ${n.args.map(sexpr).join(" ")})`;
    case "Indexed":
      return `(idx ${sexpr(n.target)} ${n.indices
        .map((i: any) =>
          i.kind === "All"
            ? "all"
            : i.kind === "Single"
              ? sexpr(i.expr)
              : i.kind === "Upfrom"
                ? `${sexpr(i.lower)}:`
                : i.kind === "Downfrom"
                  ? `:${sexpr(i.upper)}`
                  : `${sexpr(i.lower)}:${sexpr(i.upper)}`,
        )
        .join(",")})`;
    case "ArrayLiteral":
      return `{${n.elements.map(sexpr).join(" ")}}`;
    case "RowVectorLiteral":
      return `[${n.elements.map(sexpr).join(" ")}]`;
    default:
      return `?${n.kind}`;
  }
}
