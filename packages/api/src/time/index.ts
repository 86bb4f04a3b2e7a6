// Entry point of `@runnel/api/time`.
export { NO_TIMESTAMP, MAX_WATERMARK } from './watermark.js';
export type {
  WatermarkOutput,
  WatermarkGenerator,
  TimestampAssigner,
  WatermarkStrategy,
} from './watermark.js';
