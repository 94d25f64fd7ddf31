/**
 * Minimal structured logging: JSON lines on stderr when LOG_FORMAT=json (what Cloud Logging parses),
 * readable lines otherwise. stdout stays free for progress output and reports.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const threshold = ORDER[(env.LOG_LEVEL as LogLevel) ?? "info"] ?? ORDER.info;
  const json = env.LOG_FORMAT === "json";
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    if (json) {
      process.stderr.write(
        `${JSON.stringify({ severity: level.toUpperCase(), time: new Date().toISOString(), component, message, ...fields })}\n`,
      );
    } else {
      const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
      process.stderr.write(
        `${new Date().toISOString()} ${level.padEnd(5)} [${component}] ${message}${extra}\n`,
      );
    }
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
