/** An invalid service setting (option, CLI flag, quota); the message names the setting, its value and the rule. */
export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  constructor(
    readonly setting: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${setting} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}: ${rule}`);
  }
}
