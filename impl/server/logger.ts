import { type Logger, pino } from "pino";

/**
 * The process logger: JSON lines on stderr (stdout belongs to commands' output). The level
 * comes from CURVE_LOG_LEVEL (default "info"; tests use "silent").
 */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.CURVE_LOG_LEVEL ?? "info" }, pino.destination(2));
}
