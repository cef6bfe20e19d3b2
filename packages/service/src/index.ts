export {
  AuthenticationError,
  MAX_TOKEN_CHARS,
  TOKEN_ISSUER,
  USER_NAME_PATTERN,
  checkServiceKey,
  generateServiceKeys,
  issueToken,
  verifyToken,
} from './auth.js';
export type { ServicePrivateKey, ServicePublicKey } from './auth.js';
export { Scheduler, SchedulerError } from './scheduler.js';
export type { Assignment, ScheduledUnit } from './scheduler.js';
export { ServiceConfigError } from './errors.js';
export { ProgramRejectedError, UserChipState, checkSnapshotProgram, scanProgram } from './chip-state.js';
export type { ProgramScan } from './chip-state.js';
export { QuotaExceededError, UserQuota, checkQuotaSettings } from './quota.js';
export type { QuotaSettings, Quotas } from './quota.js';
export { RecentSamples, ServiceMetrics, metricsText } from './metrics.js';
export type { MetricsSnapshot, UnitOutcome } from './metrics.js';
