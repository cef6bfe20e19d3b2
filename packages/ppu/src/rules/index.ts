export { RuleCompileError, RuleDefinitionError, RuleRegisterError } from './errors.js';
export { CompareBits, HalfScope, KernelScope, Mask, RULE_ROWS, RowScope, RuleParam, Vec, defineRule, lanesOf } from './rule.js';
export type { ArithmeticMode, NodeOp, Observable, Operand, Param, Rule, RuleNode, Scope, ScopeItem, ScopeKind, Width } from './rule.js';
export { interpretRule, resolveParams, type RuleHemisphereState, type RuleInterpretation } from './interpret.js';
export { RULE_VECTOR_REGISTERS, compileRule, type CompiledRule } from './compile.js';
export { CODE_OFFSET, DEFAULT_CORRELATION_BASELINE, accumulated, signedProduct, homeostasisRule, rewardStdpRule, stdpRule, type HomeostasisOptions, type RewardStdpOptions, type RowRange, type StdpOptions } from './kernels.js';
