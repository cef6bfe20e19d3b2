export { initTensorBackend, tf, TensorBackendError, type TensorBackendName } from './tensor.js';
export {
  DatasetError,
  YIN_YANG_CLASSES,
  YIN_YANG_SPLITS,
  yinYang,
  yinYangClass,
  type YinYangDataset,
  type YinYangLabel,
  type YinYangOptions,
} from './yin-yang.js';
