// Import circles among the repository's files: strongly connected groups of the import graph (type-
// only imports included, since a circle of types is still two files that cannot be read apart).
// A spawned process or Worker is not an import and is left out: a program may start itself.
// Imports nothing.

/** An import graph: file -> the files it imports, each with the line of that import. */
export type ImportGraph = ReadonlyMap<string, ReadonlyArray<{ file: string; line: number }>>;

/** One circle: the files of a strongly connected group, and one closed walk through them. */
export interface Circle {
  /** Every file of the group, sorted. */
  files: string[];
  /** A walk from files[0] back to it: [a, b, c, a], with the line of each step's import. */
  walk: Array<{ file: string; line: number }>;
}

/** The import circles of `graph` (Tarjan's strongly connected components, iteratively). */
export function findCircles(graph: ImportGraph): Circle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ file: string; edge: number }> = [{ file: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.file) ?? [];
      if (frame.edge < edges.length) {
        const target = edges[frame.edge++]!.file;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) !== index.get(frame.file)) continue;
      const group: string[] = [];
      for (let member = stack.pop()!; ; member = stack.pop()!) {
        onStack.delete(member);
        group.push(member);
        if (member === frame.file) break;
      }
      const selfImport = (graph.get(frame.file) ?? []).some((edge) => edge.file === frame.file);
      if (group.length > 1 || selfImport) groups.push(group.sort());
    }
  }
  return groups.map((files) => ({ files, walk: walkThrough(graph, files) })).sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
}

/**
 * A shortest closed walk from the group's first file back to it, staying inside the group: each
 * step is a file and the line where it imports the next one (the last step imports the first).
 */
function walkThrough(graph: ImportGraph, files: string[]): Array<{ file: string; line: number }> {
  const members = new Set(files);
  const start = files[0]!;
  const cameFrom = new Map<string, { file: string; line: number }>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    for (const edge of graph.get(file) ?? []) {
      if (!members.has(edge.file)) continue;
      if (edge.file === start) {
        const walk = [{ file, line: edge.line }];
        for (let at = file; at !== start; ) {
          const step = cameFrom.get(at)!;
          walk.unshift(step);
          at = step.file;
        }
        return walk;
      }
      if (edge.file !== start && !cameFrom.has(edge.file)) {
        cameFrom.set(edge.file, { file, line: edge.line });
        queue.push(edge.file);
      }
    }
  }
  throw new Error(`no circle through ${start}, though it is in a strongly connected group`);
}
