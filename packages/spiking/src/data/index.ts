export {
  DatasetError,
  YIN_YANG_CLASSES,
  YIN_YANG_INPUTS,
  YIN_YANG_SPLITS,
  encodeSpikeTimes,
  yinYang,
  yinYangClass,
  type EncodedSpikes,
  type SpikeTimeEncoding,
  type YinYangDataset,
  type YinYangLabel,
  type YinYangOptions,
} from './yin-yang.js';
