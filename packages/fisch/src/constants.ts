/** Opcodes of the instructions to the FPGA: the header value of each 64-bit word (hardware.md §5.2). */
export const InstructionOpcode = {
  JtagInit: 0,
  JtagScaler: 1,
  JtagIns: 2,
  JtagData: 3,
  TimingSetup: 4,
  WaitUntil: 5,
  SystimeInit: 6,
  Barrier: 7,
  PollingOmnibusBlock: 8,
  Reset: 9,
  Loopback: 10,
  OmnibusAddress: 11,
  OmnibusData: 12,
  SpikePack1: 13,
  SpikePack2: 14,
  SpikePack3: 15,
} as const;

/** Opcodes of the responses from the FPGA: the header byte of each message (hardware.md §5.3). */
export const ResponseOpcode = {
  JtagData: 0,
  OmnibusData: 1,
  Loopback: 2,
  HighspeedLinkNotification: 3,
  TimeoutNotification: 4,
  Systime: 5,
  Sysdelta: 6,
  MADCSamplePack1: 7,
  MADCSamplePack2: 8,
  MADCSamplePack3: 9,
  SpikePack1: 10,
  SpikePack2: 11,
  SpikePack3: 12,
} as const;

/** FPGA playback memory: instructions per program (hardware.md §1, §5.4). */
export const MAX_PROGRAM_INSTRUCTIONS = 4_194_304;

// Every time in the format is a count of FPGA cycles (hardware.md §1.1, §5): the wire format needs no clock
// frequency. The frequencies themselves are the datasheet's, stated once in `@bss2/lola`'s `nominal`.

/** Width of systime and of every annotated time (hardware.md §1.1: 43-bit counters, wrap ≈ 19.5 h). */
export const SYSTIME_BITS = 43;
/** Times wrap modulo this value. */
export const SYSTIME_MODULUS = 2 ** SYSTIME_BITS;
/** Width of the timestamp carried by each spike and MADC sample (hardware.md §5.3). */
export const EVENT_TIMESTAMP_BITS = 8;
/** Chip timestamps tick twice per FPGA cycle and are halved to FPGA cycles on decode (hardware.md §1.1, §5.3). */
export const CHIP_TIMESTAMP_TICKS_PER_CYCLE = 2;
/** FPGA cycles covered by one turn of the event timestamp: 2^8 chip ticks = 128 cycles. */
export const EVENT_TIMESTAMP_PERIOD_CYCLES = 2 ** EVENT_TIMESTAMP_BITS / CHIP_TIMESTAMP_TICKS_PER_CYCLE;
/** Largest wait of one WaitUntil (32 bit), ≈ 34.36 s (hardware.md §1.1). */
export const MAX_WAIT_CYCLES = 2 ** 32 - 1;

/** Bits of the timing Barrier mask: which traffic must drain before execution continues (hardware.md §5.2). */
export const BarrierMask = {
  omnibus: 1,
  jtag: 2,
  systime: 4,
  multiFpga: 8,
  systimeCorrection: 16,
} as const;

/** Payload of the system Loopback instruction and of its echo (hardware.md §5.2, §5.3). */
export const Loopback = {
  /** Ends a run: the host collects responses until this echo arrives (hardware.md §5.4). */
  halt: 0,
  tick: 1,
} as const;

/** JTAG instruction register codes selected by jtag Ins (hardware.md §5.2). */
export const JtagRegister = {
  EXTEST: 0,
  IDCODE: 1,
  SAMPLE_PRELOAD: 2,
  PLL_TARGET_REG: 3,
  SHIFT_PLL: 4,
  OMNIBUS_ADDRESS: 5,
  OMNIBUS_DATA: 6,
  OMNIBUS_REQUEST: 7,
  BYPASS: 127,
} as const;

/** Bits a jtag Data instruction may shift (hardware.md §5.2: num_bits 3..33). */
export const JTAG_DATA_MIN_BITS = 3;
export const JTAG_DATA_MAX_BITS = 33;

/** All byte enables of an omnibus access set: the whole 32-bit word. */
export const ALL_BYTE_ENABLES = 0xf;
