/** Small structural checks on SVG text: well-formed nesting and counts of Vega's mark groups. */

/** Throws unless every element is closed in order (enough to catch truncated or spliced output). */
export function assertWellFormedSvg(svg: string): void {
  if (!svg.trimStart().startsWith("<svg")) throw new Error("not an <svg> document");
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  let consumed = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(consumed, m.index);
    if (between.includes("<")) throw new Error(`malformed markup near: ${between.slice(between.indexOf("<"), 80)}`);
    consumed = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("><")}>`);
}

/** Number of `<g class="…">` groups whose class list contains every given class. */
export function countGroups(svg: string, ...classes: string[]): number {
  let count = 0;
  for (const m of svg.matchAll(/<g class="([^"]*)"/g)) {
    const list = m[1].split(/\s+/);
    if (classes.every((c) => list.includes(c))) count++;
  }
  return count;
}

/** The `<path>` elements inside the first group with the given classes (its direct marks). */
export function pathsInGroups(svg: string, ...classes: string[]): number[] {
  const counts: number[] = [];
  const open = /<g class="([^"]*)"[^>]*>/g;
  for (let m = open.exec(svg); m; m = open.exec(svg)) {
    const list = m[1].split(/\s+/);
    if (!classes.every((c) => list.includes(c))) continue;
    // count paths until this group's closing tag
    let depth = 1;
    let paths = 0;
    const inner = /<(\/?)(g|path)\b[^>]*?(\/?)>/g;
    inner.lastIndex = open.lastIndex;
    for (let t = inner.exec(svg); t && depth > 0; t = inner.exec(svg)) {
      if (t[2] === "g") depth += t[1] ? -1 : t[3] ? 0 : 1;
      else if (!t[1]) paths++;
    }
    counts.push(paths);
  }
  return counts;
}
