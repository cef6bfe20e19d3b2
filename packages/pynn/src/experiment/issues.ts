// zod issues → ExperimentIssues: each names the offending element by its JSON path. Unions are resolved to the
// branch the input was meant for, so `projections[2].pre.indices[0]` is reported rather than "invalid input".
import type * as z from 'zod';
import { describeValue } from '../describe.js';
import type { ExperimentIssue } from './errors.js';

type Path = readonly PropertyKey[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['projections', 2, 'pre']` → `projections[2].pre`; keys that are not identifiers are quoted. */
export function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

/**
 * How well a union branch fits the value, compared lexicographically: the value has the branch's type; no key
 * of the value is foreign to it; no key the branch needs is missing; the branch got deep into the value; it has
 * few issues.
 */
function branchScore(issues: readonly z.core.$ZodIssue[]): number[] {
  const typeMatches = issues.some((issue) => !(issue.code === 'invalid_type' && issue.path.length === 0));
  const foreignKeys = issues.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0);
  const missingKeys = issues.some((issue) => isMissing(issue) && issue.path.length === 1);
  return [typeMatches ? 1 : 0, foreignKeys ? 0 : 1, missingKeys ? 0 : 1, Math.max(...issues.map((issue) => issue.path.length)), -issues.length];
}

function better(a: number[], b: number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! > b[k]!;
  return false;
}

/** A required key is absent (parsed with `reportInput`; JSON has no undefined values, so undefined means absent). */
function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.path.length > 0 && 'input' in issue && issue.input === undefined;
}

/** The offending value, shortened, for the message. */
function shown(value: unknown): string {
  return describeValue(value, 40);
}

function message(issue: z.core.$ZodIssue): string {
  if (isMissing(issue)) {
    if (issue.code === 'invalid_type') return `missing (expected ${issue.expected})`;
    if (issue.code === 'invalid_value') return `missing (expected ${issue.values.map((v) => shown(v)).join(' | ')})`;
    return `missing: ${issue.message}`;
  }
  // Our own checks name the value already; zod's messages do not.
  if (issue.code === 'custom' || !('input' in issue) || issue.input === undefined) return issue.message;
  const text = issue.message.replace(/^Invalid (input|option): /, '');
  // A discriminated union reports the whole object; its discriminator is the offending value.
  const discriminator = issue.code === 'invalid_union' && 'discriminator' in issue ? String(issue.discriminator) : undefined;
  const value = discriminator !== undefined && typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)[discriminator] : issue.input;
  return `${text} (got ${shown(value)})`;
}

function flatten(issue: z.core.$ZodIssue, base: Path, out: ExperimentIssue[]): void {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: issue.message.startsWith('Unrecognized key') ? 'unknown key' : issue.message });
    return;
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The branch that got furthest into the value is the one the author meant.
    let best = issue.errors[0]!;
    let bestScore = branchScore(best);
    for (const branch of issue.errors.slice(1)) {
      const score = branchScore(branch);
      if (better(score, bestScore)) {
        best = branch;
        bestScore = score;
      }
    }
    // A value of the right type that fits no branch (foreign keys and missing ones everywhere) gets the union's
    // own message, which lists the alternatives.
    if (bestScore[0] === 1 && !(bestScore[1] === 0 && bestScore[2] === 0)) {
      for (const inner of best) flatten(inner, path, out);
      return;
    }
  }
  out.push({ path: formatPath(path), message: message(issue) });
}

/** Options for `safeParse` that make the issues carry the offending values (for messages and missing keys). */
export const PARSE_OPTIONS = { reportInput: true } as const;

/** Flattened, path-pointed issues in document order of discovery; duplicates (same path and message) dropped. */
export function experimentIssues(error: z.ZodError): ExperimentIssue[] {
  const out: ExperimentIssue[] = [];
  for (const issue of error.issues) flatten(issue, [], out);
  const seen = new Set<string>();
  return out.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
