import { Loopback, TimeAnnotator, type ResponseVisitor } from '@bss2/fisch';

/**
 * Host side of a run (hardware.md §5.3, §5.4): sorts decoded responses into the program's read queue and
 * fisch's TimeAnnotator. Omnibus Data words, the bulk of a response stream, go straight into typed arrays
 * stamped with the annotator's current time (no object per word); every other response — time messages,
 * events, JTAG data, echoes, notifications — is handed to the annotator, which keeps `now` and builds the
 * records. Words beyond the expected count are counted, not stored, so run() can report the mismatch.
 */
export class ResponseSorter implements ResponseVisitor {
  readonly annotator: TimeAnnotator;
  readonly words: Uint32Array;
  readonly times: Float64Array;
  omnibusDataCount = 0;
  jtagDataCount = 0;
  loopbackTickCount = 0;
  haltCount = 0;

  constructor(expectedWords: number) {
    this.annotator = new TimeAnnotator();
    this.words = new Uint32Array(expectedWords);
    this.times = new Float64Array(expectedWords);
  }

  omnibusData(value: number): void {
    const index = this.omnibusDataCount++;
    if (index < this.words.length) {
      this.words[index] = value;
      this.times[index] = this.annotator.now;
    }
  }

  jtagData(value: number): void {
    this.jtagDataCount++;
    this.annotator.jtagData(value);
  }

  loopback(value: number): void {
    if (value === Loopback.halt) this.haltCount++;
    else this.loopbackTickCount++;
    this.annotator.loopback(value);
  }

  highspeedLinkNotification(value: number): void {
    this.annotator.highspeedLinkNotification(value);
  }

  timeoutNotification(value: number, traceStallCount: number, omnibusReadsInFlight: number): void {
    this.annotator.timeoutNotification(value, traceStallCount, omnibusReadsInFlight);
  }

  systime(value: number): void {
    this.annotator.systime(value);
  }

  sysdelta(value: number): void {
    this.annotator.sysdelta(value);
  }

  madcSamplePack(values: ArrayLike<number>, channels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    this.annotator.madcSamplePack(values, channels, timestamps, count);
  }

  spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    this.annotator.spikePack(labels, timestamps, count);
  }
}
