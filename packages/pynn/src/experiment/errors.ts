import { PyNNError } from '../errors.js';

/** One problem of an experiment file: where (a JSON path such as `projections[2].pre`) and what is wrong. */
export interface ExperimentIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * An experiment file that does not describe a valid experiment. Every issue names the offending element by its
 * JSON path; the message lists them all, one `path: message` per line, so a user can fix the file in one pass.
 */
export class ExperimentError extends PyNNError {
  override name = 'ExperimentError';
  readonly issues: readonly ExperimentIssue[];

  constructor(issues: readonly ExperimentIssue[], source = 'experiment') {
    const lines = issues.map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
    super(`${source} is invalid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}):\n${lines.join('\n')}`);
    this.issues = issues;
  }
}
