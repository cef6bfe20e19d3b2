export { PPUFault, type PPUFaultReason, type PPUFaultRecord } from './fault.js';
export { PlasticityProcessors, type PPUState, type PlasticityProcessorHooks } from './processors.js';
export { CoreState, PPUCore } from './core.js';
export { VectorUnit, sat16, sat8 } from './vector-unit.js';
export { unsupportedMnemonics } from './isa.js';
export { DEFAULT_PPU_TIMEOUT_CYCLES, LOCAL_BYTES, MAILBOX_WORD, RETURN_ADDRESS, RETURN_CODE_WORD, VECTOR_BYTES } from './constants.js';
