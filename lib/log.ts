// Structured JSON logs: one line per event with a level, a message and fields. In Lambda they go to
// stdout (CloudWatch Logs); the local run sends them to a file so that its console stays readable.
import { type LogLevel, logLevel } from './config.ts';

export type { LogLevel };
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line carries these fields too. */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializable(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  level: LogLevel = logLevel(),
  context: LogFields = {},
): Logger {
  const emit = (lineLevel: LogLevel, message: string, fields: LogFields = {}) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    write(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level: lineLevel,
        message,
        ...serializable(context),
        ...serializable(fields),
      }),
    );
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(write, level, { ...context, ...fields }),
  };
}
