import { SmpError } from '../../../lib/errors';

/** A line of an input file and where it is. */
export interface InputLine {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** A line that cannot be read as a reading: SMP_INPUT_FILE_INVALID with its place. */
export class InputError extends SmpError {
  constructor(input: InputLine, message: string) {
    super('SMP_INPUT_FILE_INVALID', `${input.file}:${input.line}: ${message}`, {
      context: { file: input.file, line: input.line },
    });
  }
}
