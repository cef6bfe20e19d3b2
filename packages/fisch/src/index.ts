export * from './errors.js';
export * from './constants.js';
export { PROTOCOL_VERSION, type DeviceIdentity, type DeviceKind } from './device-identity.js';
export {
  COMMA_BIT,
  COMMA_BYTE,
  HEADER_BITS,
  OPCODE_MASK,
  WORD_BYTES,
  messageBytes,
} from './framing.js';
export type { BitField } from './bit-field.js';
export {
  INSTRUCTION_LAYOUTS,
  decodeInstructionWord,
  instructionField,
  instructionLayout,
  type Instruction,
  type InstructionKind,
  type InstructionLayout,
  type SpikeLabel,
} from './instruction.js';
export { InstructionStream, decodeInstructions, encodeInstructions } from './instruction-stream.js';
export type { InstructionVisitor } from './instruction-word.js';
export {
  RESPONSE_LAYOUTS,
  responseField,
  responseLayout,
  type MADCSample,
  type Response,
  type ResponseKind,
  type ResponseLayout,
  type SpikeSample,
} from './response.js';
export type { ResponseVisitor } from './response-visitor.js';
export { ResponseStreamWriter, encodeResponses } from './response-writer.js';
export { ResponseCollector, ResponseDecoder, decodeResponses } from './response-decoder.js';
export {
  TimeAnnotator,
  annotateResponses,
  chipTimeOf,
  eventTimestamp,
  isRecoverableEventTime,
  type MADCSampleFromChip,
  type SpikeFromChip,
  type TimedResponse,
} from './time-annotation.js';
