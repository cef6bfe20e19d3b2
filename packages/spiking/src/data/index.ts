export {
  DatasetError,
  YIN_YANG_CLASSES,
  YIN_YANG_SPLITS,
  yinYang,
  yinYangClass,
  type YinYangDataset,
  type YinYangLabel,
  type YinYangOptions,
} from '@bss2/tensor';
export { YIN_YANG_INPUTS, encodeSpikeTimes, type EncodedSpikes, type SpikeTimeEncoding } from './yin-yang-spikes.js';
