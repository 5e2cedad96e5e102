/** A lint finding, located in its file. */
export interface DefinitionProblem {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string | undefined;
}

/** `file:line:column: message (hint)`, the form editors and CI logs link. */
export function formatProblem(problem: DefinitionProblem): string {
  const where =
    problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : '';
  return `${where}: error: ${problem.message}${hint}`;
}
