// The experiment file format (one JSON document): setup, populations, projections and a schedule of runs,
// resets and parameter changes. zod checks the structure; ./checks.ts adds the rules that span fields (labels,
// sizes, recordables, weight signs), every issue pointing at the offending element by its JSON path.
import * as z from 'zod';
import { RECEPTOR_TYPES } from '../cells.js';
import { maxPopulationSize } from '../populations.js';
import { setupFileShape } from '../setup-options.js';
import { cellTypeNames, cellTypeTemplate, type CellTypeName } from './cell-types.js';
import { checkExperiment } from './checks.js';

/** The message for a discriminator value that names no option. */
function unknownOption(what: string) {
  return (issue: z.core.$ZodRawIssue) =>
    issue.code === 'invalid_union' && 'options' in issue ? `unknown ${what}; known: ${(issue.options as unknown[]).map(String).join(', ')}` : undefined;
}

/** A strict object whose unknown keys are reported with the keys it allows. */
function strict<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key of ${what}; allowed: ${allowed}` : undefined) });
}

const label = z.string().min(1, 'a label must not be empty');
const index = z.int().min(0);
const description = z.string().optional();

/** Part of one population: `indices` (any order, no repeats) or `slice: [start, stop)` as Population.slice. */
const viewSchema = strict({ population: label, indices: z.array(index).min(1).optional(), slice: z.tuple([index, index]).optional() }, 'a population view').meta({
  id: 'View',
  description: 'A view of one population: exactly one of `indices` or `slice` ([start, stop)).',
});

const populationRefSchema = z.union([label, viewSchema], { error: 'expected a population label or a view { population, indices | slice }' });

/** Pre or post side of a projection: a population, a view, or several population labels (an Assembly). */
const neuronsSchema = z.union([label, viewSchema, z.array(label).min(1)], {
  error: 'expected a population label, a view { population, indices | slice } or an array of population labels (an assembly)',
}).meta({ id: 'Neurons', description: 'a population label, a view, or an array of population labels (an assembly)' });

/** An experiment file's `setup`: setup()'s JSON-able options, from the one schema of setup-options.ts. */
export const setupSchema = strict(setupFileShape, 'setup').meta({ id: 'Setup' });

const seed = z.int().optional();
const allowSelfConnections = z.boolean().optional();
const withReplacement = z.boolean().optional();

export const connectorSchema = z.discriminatedUnion('type', [
  strict({ type: z.literal('AllToAll'), allowSelfConnections }, 'an AllToAll connector'),
  strict({ type: z.literal('OneToOne') }, 'a OneToOne connector'),
  strict({ type: z.literal('FixedProbability'), p: z.number().min(0).max(1), allowSelfConnections, seed }, 'a FixedProbability connector'),
  strict({ type: z.literal('FixedNumberPre'), n: index, allowSelfConnections, withReplacement, seed }, 'a FixedNumberPre connector'),
  strict({ type: z.literal('FixedNumberPost'), n: index, allowSelfConnections, withReplacement, seed }, 'a FixedNumberPost connector'),
  strict({ type: z.literal('FixedTotalNumber'), n: index, allowSelfConnections, withReplacement, seed }, 'a FixedTotalNumber connector'),
  strict(
    {
      type: z.literal('FromList'),
      connections: z.array(z.tuple([index, index, z.number().optional()], { error: 'expected [pre, post] or [pre, post, weight]' })),
    },
    'a FromList connector',
  ),
  strict({ type: z.literal('Array'), matrix: z.array(z.array(z.boolean())).meta({ description: 'pre × post booleans' }) }, 'an Array connector'),
], { error: unknownOption('connector type') }).meta({ id: 'Connector' });

const weightSchema = z.union([z.number(), z.array(z.number())], { error: 'expected a weight or an array of weights (one per connection)' }).meta({
  id: 'Weight',
  description: 'hardware units: 0..63 per synapse, larger on several rows; ≥ 0 excitatory, ≤ 0 inhibitory; one, or one per connection',
});

export const synapseSchema = strict(
  {
    weight: weightSchema.optional(),
    delay: z.number().optional().meta({ description: 'must be 0: the chip has no programmable delays' }),
  },
  'a synapse',
);

export const projectionSchema = strict(
  {
    label: label.optional(),
    description,
    pre: neuronsSchema,
    post: neuronsSchema,
    connector: connectorSchema,
    synapse: synapseSchema.optional(),
    receptorType: z.enum(RECEPTOR_TYPES).optional(),
  },
  'a projection',
).meta({ id: 'Projection' });

const parameterValueSchema = z.union([z.number(), z.boolean(), z.string(), z.array(z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]))], {
  error: 'expected a parameter value or an array of values (one per neuron)',
});

export const scheduleStepSchema = z.union(
  [
    strict({ run: z.number().positive().meta({ description: 'ms (biological)' }) }, 'a run step'),
    strict({ reset: z.literal(true) }, 'a reset step'),
    strict({ set: strict({ population: populationRefSchema, parameters: z.record(z.string(), parameterValueSchema) }, 'a set step') }, 'a set step'),
    strict({ setWeights: strict({ projection: label, weight: weightSchema }, 'a setWeights step') }, 'a setWeights step'),
  ],
  { error: 'expected a step: { run: ms } | { reset: true } | { set: { population, parameters } } | { setWeights: { projection, weight } }' },
).meta({ id: 'ScheduleStep' });

/** Value schema of one parameter, from the type of its default (spike times: one list or one per neuron). */
function parameterSchema(name: string, defaultValue: unknown): z.ZodType {
  if (name === 'spike_times') {
    return z.union([z.array(z.number()), z.array(z.array(z.number()))], { error: 'expected spike times in ms: an array (all neurons) or an array of arrays (one per neuron)' });
  }
  const kind = typeof defaultValue === 'boolean' ? 'boolean' : typeof defaultValue === 'string' ? 'string' : 'number';
  const scalar = kind === 'boolean' ? z.boolean() : kind === 'string' ? z.string() : z.number();
  return z.union([scalar, z.array(scalar)], { error: `expected a ${kind} or an array of ${kind}s (one per neuron)` });
}

function recordItemSchema(recordables: readonly [string, ...string[]], cellType: string) {
  const variable = z.enum(recordables, { error: `${cellType} records ${recordables.join(', ')}` });
  return z.union(
    [
      variable,
      strict(
        {
          variables: z.array(variable).min(1),
          indices: z.array(index).min(1).optional(),
          slice: z.tuple([index, index]).optional(),
          device: z.enum(['madc', 'cadc']).optional().meta({ description: "'madc' (default; ≤ 2 neurons, any variable) or 'cadc' (v of any number of neurons)" }),
          samplingInterval: z.number().positive().optional().meta({ description: "this entry's sampling interval, ms (CADC default 2 ms)" }),
        },
        'a record entry',
      ),
    ],
    { error: `expected a variable (${recordables.join(', ')}) or { variables, indices | slice, device, samplingInterval }` },
  );
}

/** Per-parameter value schemas of a cell type (structure only; ranges are the cell type's own rules, see checks.ts). */
export function parameterShape(cellType: CellTypeName): Record<string, z.ZodType> {
  const defaults = cellTypeTemplate(cellType).defaults;
  return Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, parameterSchema(name, value).optional()]));
}

function populationSchemaFor(cellType: CellTypeName) {
  const template = cellTypeTemplate(cellType);
  const maxSize = maxPopulationSize(template);
  const what = template.isSource ? 'external sources the input path can address' : 'neurons of the chip';
  return strict(
    {
      label,
      description,
      size: z.int().min(1).max(maxSize, `a ${cellType} population has at most ${maxSize} members, the ${what}`),
      cellType: z.literal(cellType),
      parameters: strict(parameterShape(cellType), `${cellType} parameters`).optional(),
      record: z.array(recordItemSchema(template.recordables as [string, ...string[]], cellType)).optional(),
      samplingInterval: z.number().positive().optional().meta({ description: 'MADC sampling interval, ms (default: the full MADC rate)' }),
    },
    'a population',
  );
}

export const populationSchema = z.discriminatedUnion(
  'cellType',
  cellTypeNames.map((name) => populationSchemaFor(name)) as unknown as [ReturnType<typeof populationSchemaFor>, ...ReturnType<typeof populationSchemaFor>[]],
  { error: unknownOption('cell type') },
).meta({ id: 'Population' });

/** The structure of an experiment file, without the cross-field rules (used for the JSON Schema). */
export const experimentShapeSchema = strict(
  {
    $schema: z.string().optional(),
    name: z.string().min(1).optional(),
    description,
    setup: setupSchema.optional(),
    populations: z.array(populationSchema).min(1),
    projections: z.array(projectionSchema).optional(),
    schedule: z.array(scheduleStepSchema).min(1).optional().meta({ description: 'steps in order; default: one run of duration_ms' }),
    duration_ms: z.number().positive().optional().meta({ description: 'shorthand for schedule [{ run: duration_ms }]' }),
  },
  'an experiment',
).meta({
  title: 'BrainScaleS-2 experiment',
  description: 'A PyNN-style experiment for the simulated BrainScaleS-2 chip (@bss2/pynn): setup, populations, projections and a schedule; run with `bss2 run`.',
});

/** An experiment file as written (before defaults). */
export type ExperimentFile = z.input<typeof experimentShapeSchema>;

/** The full schema: structure, then the cross-field rules. */
export const experimentSchema = experimentShapeSchema.superRefine((file, ctx) => checkExperiment(file, (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message })));

/** JSON Schema (draft 2020-12) of the file format, for editors (`"$schema": "./experiment.schema.json"`). */
export function experimentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(experimentShapeSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
